// The data_keys table, written only here (for worker/lifecycle/keys.ts): wrapped data keys,
// their master key version, and their destruction.
import { and, asc, eq, isNotNull, lt, sql } from "drizzle-orm";
import type { Database } from "./client.ts";
import { dataKeys } from "./schema.ts";

export type DataKeyRow = typeof dataKeys.$inferSelect;

export async function dataKeyById(db: Database, tenantId: string, id: string) {
  return db.query.dataKeys.findFirst({ where: and(eq(dataKeys.id, id), eq(dataKeys.tenantId, tenantId)) });
}

/** The adopted key of a legacy (v1) envelope, by the document or recording it opens. */
export async function dataKeyOfObject(db: Database, tenantId: string, objectId: string) {
  return db.query.dataKeys.findFirst({ where: and(eq(dataKeys.objectId, objectId), eq(dataKeys.tenantId, tenantId)) });
}

/** Stores a key unless its id exists (two uploads may create a verification's key at once). */
export async function insertDataKey(db: Database, row: Omit<DataKeyRow, "rotatedAt" | "destroyedAt">): Promise<void> {
  await db.insert(dataKeys).values(row).onConflictDoNothing();
}

/** Live keys wrapped under a master version older than `version`, in id order (at most `limit`). */
export async function staleDataKeys(db: Database, version: number, limit: number) {
  return db
    .select()
    .from(dataKeys)
    .where(and(lt(dataKeys.masterVersion, version), isNotNull(dataKeys.wrappedKey)))
    .orderBy(asc(dataKeys.id))
    .limit(limit);
}

/** Replaces a key's wrap, only while it is still the one read (not destroyed or re-wrapped meanwhile). */
export async function rewrapDataKey(db: Database, row: DataKeyRow, wrappedKey: string, version: number, now: number): Promise<boolean> {
  const { meta } = await db
    .update(dataKeys)
    .set({ wrappedKey, masterVersion: version, rotatedAt: now })
    .where(and(eq(dataKeys.id, row.id), eq(dataKeys.masterVersion, row.masterVersion), isNotNull(dataKeys.wrappedKey)))
    .run();
  return meta.changes > 0;
}

/** Crypto-shredding: every key of the verification loses its wrapped bytes. */
export async function destroyDataKeysOf(db: Database, verificationId: string, now: number): Promise<number> {
  const { meta } = await db
    .update(dataKeys)
    .set({ wrappedKey: null, destroyedAt: sql`COALESCE(${dataKeys.destroyedAt}, ${now})` })
    .where(and(eq(dataKeys.verificationId, verificationId), isNotNull(dataKeys.wrappedKey)))
    .run();
  return meta.changes;
}

export async function dataKeysOf(db: Database, verificationId: string) {
  return db.query.dataKeys.findMany({ where: eq(dataKeys.verificationId, verificationId), orderBy: asc(dataKeys.id) });
}

export type SealedObject = { id: string; tenantId: string; verificationId: string; objectKey: string };

/** Documents and recordings after `cursor` (by id) that have no adopted key of their own: the
 * candidates for legacy adoption (at most `limit`). Raw SQL: a UNION over two tables. */
export async function sealedObjectsWithoutOwnKey(d1: D1Database, cursor: string, limit: number): Promise<SealedObject[]> {
  const { results } = await d1
    .prepare(
      `SELECT s.id, s.tenant_id AS tenantId, s.verification_id AS verificationId, s.object_key AS objectKey FROM (
         SELECT d.id, d.tenant_id, d.verification_id, d.object_key FROM documents d
         UNION ALL
         SELECT r.id, r.tenant_id, vc.verification_id, r.object_key FROM call_recordings r JOIN video_calls vc ON vc.id = r.call_id
       ) s WHERE s.id > ? AND NOT EXISTS (SELECT 1 FROM data_keys k WHERE k.object_id = s.id) ORDER BY s.id LIMIT ?`,
    )
    .bind(cursor, limit)
    .all<SealedObject>();
  return results;
}
