// API keys and hosted verification sessions: the client apps' records. Keys are looked up by
// their hash only; sessions are created with their verification and guest customer in one batch.
import { and, desc, eq, isNull } from "drizzle-orm";
import type { ApiKeyScope } from "../schemas/api-keys.ts";
import { iso } from "../ids.ts";
import { type Database, toStatement } from "./client.ts";
import { apiKeys, hostedSessions, revokedTokens, users, verifications } from "./schema.ts";

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type HostedSessionRow = typeof hostedSessions.$inferSelect;

export function publicApiKey(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: JSON.parse(row.scopes) as ApiKeyScope[],
    created_at: iso(row.createdAt)!,
    last_used_at: iso(row.lastUsedAt),
  };
}

export function insertApiKey(db: Database, row: typeof apiKeys.$inferInsert) {
  return db.insert(apiKeys).values(row).returning().get();
}

export function apiKeyByHash(db: Database, keyHash: string) {
  return db.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash)).get();
}

/** The tenant's live keys, newest first. */
export function apiKeysOf(db: Database, tenantId: string) {
  return db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt)))
    .orderBy(desc(apiKeys.createdAt))
    .all();
}

/** Revokes a live key of the tenant; its hash (to drop from the cache) or null when there is none. */
export async function revokeApiKey(db: Database, tenantId: string, id: string, now: number): Promise<string | null> {
  const row = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt)))
    .returning({ keyHash: apiKeys.keyHash })
    .get();
  return row?.keyHash ?? null;
}

export function noteApiKeyUsed(db: Database, id: string, now: number) {
  return db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, id)).run();
}

/** The guest customer, the verification and its hosted session, all or nothing. Fails on the
 * idempotency index when another create with the same key won the race. */
export async function insertHostedVerification(
  d1: D1Database,
  db: Database,
  input: {
    guest: typeof users.$inferInsert;
    verification: { id: string; tenantId: string; userInfo: string | null; createdAt: number };
    session: HostedSessionRow;
  },
) {
  const { guest, verification: v, session } = input;
  await d1.batch([
    toStatement(d1, db.insert(users).values(guest)),
    toStatement(
      d1,
      db.insert(verifications).values({
        id: v.id,
        tenantId: v.tenantId,
        customerId: guest.id,
        status: "created",
        userInfo: v.userInfo,
        createdAt: v.createdAt,
        updatedAt: v.createdAt,
      }),
    ),
    toStatement(d1, db.insert(hostedSessions).values(session)),
  ]);
}

export function sessionByIdempotencyKey(db: Database, tenantId: string, key: string) {
  return db
    .select()
    .from(hostedSessions)
    .where(and(eq(hostedSessions.tenantId, tenantId), eq(hostedSessions.idempotencyKey, key)))
    .get();
}

export function hostedSession(db: Database, verificationId: string) {
  return db.select().from(hostedSessions).where(eq(hostedSessions.verificationId, verificationId)).get();
}

/** The tenant's sessions for one external reference, newest first. */
export function sessionsByExternalRef(db: Database, tenantId: string, externalRef: string, limit: number) {
  return db
    .select()
    .from(hostedSessions)
    .where(and(eq(hostedSessions.tenantId, tenantId), eq(hostedSessions.externalRef, externalRef)))
    .orderBy(desc(hostedSessions.createdAt))
    .limit(limit)
    .all();
}

/** Claims the link for a token (the single-person rule): only when it is unclaimed, or still
 * claimed by `previousJti` (whose token has expired or been signed out). True when claimed. */
export async function claimSession(
  db: Database,
  verificationId: string,
  previousJti: string | null,
  claim: { jti: string; until: number },
): Promise<boolean> {
  const row = await db
    .update(hostedSessions)
    .set({ claimedJti: claim.jti, claimedUntil: claim.until })
    .where(
      and(
        eq(hostedSessions.verificationId, verificationId),
        previousJti === null ? isNull(hostedSessions.claimedJti) : eq(hostedSessions.claimedJti, previousJti),
      ),
    )
    .returning({ id: hostedSessions.verificationId })
    .get();
  return row !== undefined;
}

/** Whether a token was signed out (revoked_tokens is db/sessions.ts's; this only reads it). */
export async function isRevoked(db: Database, jti: string): Promise<boolean> {
  return (await db.select({ jti: revokedTokens.jti }).from(revokedTokens).where(eq(revokedTokens.jti, jti)).get()) !== undefined;
}
