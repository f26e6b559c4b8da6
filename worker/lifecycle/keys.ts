// The key hierarchy for documents and recordings at rest:
//
//   master key (a secret, one per version)  --HKDF-SHA256(tenant id)-->  tenant key (AES-KW)
//   tenant key  --wraps-->  data key (AES-256-GCM, one per verification, in D1 data_keys)
//   data key  --encrypts-->  the verification's R2 envelopes (worker/documents/envelope.ts)
//
// Rotating the master key re-wraps data keys only: envelopes name their data key, not the
// master version, so no document byte is rewritten. Erasure destroys a verification's wrapped
// data keys (crypto-shredding), after which its envelopes cannot be opened by anyone.
import { z } from "zod";
import { dataKeyById, dataKeyOfObject, insertDataKey, type DataKeyRow } from "../db/data-keys.ts";
import { database } from "../db/client.ts";
import { fromBase64, toBase64 } from "../encoding.ts";
import { ApiError } from "../http/errors.ts";
import { rawMasterKey, type DataKey, type EnvelopeKeys } from "../documents/envelope.ts";

/** The master key versions this deployment holds: the current one wraps, every one unwraps. */
export type MasterKeys = { current: number; byVersion: ReadonlyMap<number, Uint8Array> };

const MasterKeySettings = z.object({
  DOCUMENT_MASTER_KEY: z.string().optional(),
  /** The version number of DOCUMENT_MASTER_KEY; keys from before versions existed are version 1. */
  DOCUMENT_MASTER_KEY_VERSION: z.coerce.number().int().min(1).default(1),
  /** Earlier master keys still needed to unwrap, as "version:base64" pairs separated by commas. */
  DOCUMENT_MASTER_KEYS_RETIRED: z.string().default(""),
});

/** Reads the master keys from the Worker's secrets; 503 when the current one is missing. */
export function masterKeys(env: object): MasterKeys {
  const settings = MasterKeySettings.parse(env);
  const byVersion = new Map<number, Uint8Array>();
  for (const pair of settings.DOCUMENT_MASTER_KEYS_RETIRED.split(",").filter((p) => p.trim() !== "")) {
    const [version, key] = pair.trim().split(":");
    byVersion.set(Number(version), rawMasterKey(key));
  }
  byVersion.set(settings.DOCUMENT_MASTER_KEY_VERSION, rawMasterKey(settings.DOCUMENT_MASTER_KEY));
  return { current: settings.DOCUMENT_MASTER_KEY_VERSION, byVersion };
}

const missingVersion = (version: number) =>
  new ApiError(503, "server_misconfigured", `Master key version ${version} is not configured.`, { master_version: version });

/** The tenant's AES-KW key under master key `version`: HKDF of the master key with the tenant
 * id as info, so one tenant's key never opens another tenant's data keys. */
export async function tenantKey(masters: MasterKeys, tenantId: string, version: number): Promise<CryptoKey> {
  const master = masters.byVersion.get(version);
  if (!master) throw missingVersion(version);
  const ikm = await crypto.subtle.importKey("raw", master, "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: new TextEncoder().encode("verifyid/tenant-key"),
      info: new TextEncoder().encode(`tenant:${tenantId}`),
    },
    ikm,
    { name: "AES-KW", length: 256 },
    false,
    ["wrapKey", "unwrapKey"],
  );
}

/** The key id of a verification's data key: one per verification, so a retried or concurrent
 * first upload finds the same key. */
export const verificationKeyId = (verificationId: string) => `vk_${verificationId}`;
/** The key id of a legacy envelope's adopted data key. */
export const legacyKeyId = (objectId: string) => `lk_${objectId}`;

export async function wrapDataKey(masters: MasterKeys, tenantId: string, key: CryptoKey): Promise<string> {
  const kek = await tenantKey(masters, tenantId, masters.current);
  return toBase64(new Uint8Array(await crypto.subtle.wrapKey("raw", key, kek, "AES-KW")));
}

/** Opens a stored data key row; 410 when the key was destroyed (the data was erased). */
export async function unwrapDataKey(masters: MasterKeys, row: DataKeyRow, usages: string[] = ["encrypt", "decrypt"]): Promise<CryptoKey> {
  if (row.wrappedKey === null) throw new ApiError(410, "erased", "This data was erased; its key no longer exists.");
  const kek = await tenantKey(masters, row.tenantId, row.masterVersion);
  return crypto.subtle.unwrapKey("raw", fromBase64(row.wrappedKey), kek, "AES-KW", "AES-GCM", true, usages);
}

/** The verification's data key, made and stored (wrapped) on first use. */
export async function verificationDataKey(env: Env, tenantId: string, verificationId: string): Promise<DataKey> {
  const db = database(env.DB);
  const masters = masterKeys(env);
  const id = verificationKeyId(verificationId);
  let row = await dataKeyById(db, tenantId, id);
  if (!row) {
    const key = (await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"])) as CryptoKey;
    await insertDataKey(db, {
      id,
      tenantId,
      verificationId,
      objectId: null,
      wrappedKey: await wrapDataKey(masters, tenantId, key),
      masterVersion: masters.current,
      createdAt: Date.now(),
    });
    // Another upload may have stored its key first: every envelope uses the stored one.
    row = await dataKeyById(db, tenantId, id);
    if (!row) throw new Error(`data key ${id} was not stored`);
  }
  return { id, key: await unwrapDataKey(masters, row) };
}

/** Finds the keys of the tenant's envelopes, for `open`. */
export function envelopeKeys(env: Env, tenantId: string): EnvelopeKeys {
  const db = database(env.DB);
  const masters = masterKeys(env);
  return {
    async dataKey(keyId) {
      const row = await dataKeyById(db, tenantId, keyId);
      if (!row) throw new ApiError(410, "erased", "This data was erased; its key no longer exists.");
      return unwrapDataKey(masters, row, ["decrypt"]);
    },
    async legacyDataKey(objectId, wrapped) {
      const adopted = await dataKeyOfObject(db, tenantId, objectId);
      if (adopted) return unwrapDataKey(masters, adopted, ["decrypt"]);
      return unwrapLegacy(masters, wrapped, ["decrypt"]);
    },
  };
}

/** A v1 envelope's own data key, unwrapped by the version 1 master key that sealed it. */
export async function unwrapLegacy(masters: MasterKeys, wrapped: Uint8Array, usages: string[]): Promise<CryptoKey> {
  const master = masters.byVersion.get(1);
  if (!master) throw missingVersion(1);
  const kek = await crypto.subtle.importKey("raw", master, "AES-KW", false, ["unwrapKey"]);
  return crypto.subtle.unwrapKey("raw", wrapped, kek, "AES-KW", "AES-GCM", true, usages);
}
