// The revoked_tokens table (tokens signed out before they expired), written only here, and the
// one read a token check makes per authenticated request.
import { and, eq, exists, lt, sql } from "drizzle-orm";
import type { AccountSessionFacts } from "../core/sessions.ts";
import type { Database } from "./client.ts";
import { perObject } from "../per-object.ts";
import { revokedTokens, users } from "./schema.ts";

const sessionFactsQuery = (db: Database) =>
  db
    .select({
      disabledAt: users.disabledAt,
      tokenEpoch: users.tokenEpoch,
      revoked: exists(
        db
          .select({ one: sql`1` })
          .from(revokedTokens)
          .where(eq(revokedTokens.jti, sql.placeholder("jti"))),
      ).mapWith(Number),
    })
    .from(users)
    .where(and(eq(users.id, sql.placeholder("userId")), eq(users.tenantId, sql.placeholder("tenantId"))))
    .prepare();

// Every authenticated request runs this read: it is built once per handle (the SQL never
// changes, only its parameters), not on each request.
const prepared = perObject(sessionFactsQuery);

/** What D1 holds about a token's account, in one indexed read: null for an unknown user. */
export async function sessionFacts(db: Database, token: { jti: string; userId: string; tenantId: string }): Promise<AccountSessionFacts> {
  const row = await prepared(db).get({ jti: token.jti, userId: token.userId, tenantId: token.tenantId });
  return row ? { disabledAt: row.disabledAt, tokenEpoch: row.tokenEpoch, revoked: row.revoked === 1 } : null;
}

/** Revokes one token until it would have expired anyway (a repeat changes nothing). */
export function revokeToken(db: Database, token: { jti: string; userId: string; expiresAt: number }, now: number) {
  return db
    .insert(revokedTokens)
    .values({ jti: token.jti, userId: token.userId, expiresAt: token.expiresAt, revokedAt: now })
    .onConflictDoNothing({ target: revokedTokens.jti });
}

/** Drops revocations of tokens that have expired anyway: nothing checks them any more. */
export function pruneRevokedTokens(db: Database, now: number) {
  return db.delete(revokedTokens).where(lt(revokedTokens.expiresAt, now));
}
