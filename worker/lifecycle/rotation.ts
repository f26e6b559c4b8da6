// Master key rotation (README "Data lifecycle"): every live data key is re-wrapped under the
// current master key version, and every legacy (v1) envelope's own key is adopted into D1 under
// it, so that the retired master key can be removed. No R2 object is rewritten: a legacy
// envelope's header is read (a ranged read of its first bytes) and left as it is. Bounded and
// resumable: each call does at most `limit` of each and says where to go on.
import { database } from "../db/client.ts";
import { insertDataKey, rewrapDataKey, sealedObjectsWithoutOwnKey, staleDataKeys } from "../db/data-keys.ts";
import { readHeader } from "../documents/envelope.ts";
import { legacyKeyId, masterKeys, unwrapDataKey, unwrapLegacy, wrapDataKey } from "./keys.ts";

export type RotationStep = {
  master_version: number;
  /** Data keys re-wrapped under `master_version` in this step. */
  rewrapped: number;
  /** Legacy envelopes whose key was adopted in this step. */
  adopted: number;
  /** Documents and recordings looked at for legacy envelopes in this step. */
  scanned: number;
  /** Where the next step goes on scanning; null when the scan is complete. */
  next_cursor: string | null;
  /** True when nothing is left: every key is under `master_version` and the scan is complete. */
  done: boolean;
};

// A v1 header is 57 bytes, a v2 header at most 273.
const HEADER_BYTES = 512;

/** One bounded step of the rotation, from `cursor` (the previous step's `next_cursor`, or ""). */
export async function rotateDataKeys(env: Env, cursor: string, limit: number): Promise<RotationStep> {
  const db = database(env.DB);
  const masters = masterKeys(env);
  const now = Date.now();

  let adopted = 0;
  const candidates = await sealedObjectsWithoutOwnKey(env.DB, cursor, limit);
  for (const object of candidates) {
    const head = await env.DOCUMENTS.get(object.objectKey, { range: { offset: 0, length: HEADER_BYTES } });
    if (!head) continue;
    const header = readHeader(new Uint8Array(await head.arrayBuffer()));
    if (header.version !== 1) continue;
    const key = await unwrapLegacy(masters, header.wrapped, ["decrypt"]);
    await insertDataKey(db, {
      id: legacyKeyId(object.id),
      tenantId: object.tenantId,
      verificationId: object.verificationId,
      objectId: object.id,
      wrappedKey: await wrapDataKey(masters, object.tenantId, key),
      masterVersion: masters.current,
      createdAt: now,
    });
    adopted++;
  }
  const nextCursor = candidates.length === limit ? candidates[candidates.length - 1]!.id : null;

  let rewrapped = 0;
  const stale = await staleDataKeys(db, masters.current, limit);
  for (const row of stale) {
    const key = await unwrapDataKey(masters, row);
    if (await rewrapDataKey(db, row, await wrapDataKey(masters, row.tenantId, key), masters.current, now)) rewrapped++;
  }
  const staleLeft = stale.length === limit ? (await staleDataKeys(db, masters.current, 1)).length > 0 : false;
  return {
    master_version: masters.current,
    rewrapped,
    adopted,
    scanned: candidates.length,
    next_cursor: nextCursor,
    done: nextCursor === null && !staleLeft,
  };
}
