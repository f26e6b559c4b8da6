// Whether a verified token still opens a session: not signed out, the account neither disabled
// nor moved to a newer token epoch. One indexed D1 read per authenticated request, so a
// sign-out or a disabling takes effect at once everywhere (no cache to wait out).
import { sessionRefusal } from "../core/sessions.ts";
import { database } from "../db/client.ts";
import * as sessions from "../db/sessions.ts";
import { unauthorized } from "../http/errors.ts";
import type { Principal } from "./principal.ts";

export async function assertSessionLive(d1: D1Database, who: Principal): Promise<void> {
  const facts = await sessions.sessionFacts(database(d1), { jti: who.sessionId, userId: who.userId, tenantId: who.tenantId });
  const refusal = sessionRefusal(facts, who);
  if (refusal) throw unauthorized(refusal);
}

/** Revocations of tokens that have expired anyway: nothing checks them any more (minute cron). */
export function pruneRevokedTokens(d1: D1Database, now = Date.now()) {
  return sessions.pruneRevokedTokens(database(d1), now);
}

/** Revokes one token until it would have expired anyway; run it (`.run()`) or batch it. */
export function revokeToken(d1: D1Database, who: Principal, now = Date.now()) {
  return sessions.revokeToken(database(d1), { jti: who.sessionId, userId: who.userId, expiresAt: who.expiresAt }, now);
}
