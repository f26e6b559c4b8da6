// Whether a verified token still opens a session: not signed out, the account neither disabled
// nor moved to a newer token epoch. One indexed D1 read per authenticated request, so a
// sign-out or a disabling takes effect at once everywhere (no cache to wait out).
import { sessionRefusal } from "../core/sessions.ts";
import { unauthorized } from "../http/errors.ts";
import type { Principal } from "./principal.ts";

export async function assertSessionLive(db: D1Database, who: Principal): Promise<void> {
  const row = await db
    .prepare(
      "SELECT disabled_at, token_epoch, EXISTS (SELECT 1 FROM revoked_tokens WHERE jti = ?1) AS revoked FROM users WHERE id = ?2 AND tenant_id = ?3",
    )
    .bind(who.sessionId, who.userId, who.tenantId)
    .first<{ disabled_at: number | null; token_epoch: number; revoked: number }>();
  const refusal = sessionRefusal(row && { disabledAt: row.disabled_at, tokenEpoch: row.token_epoch, revoked: row.revoked === 1 }, who);
  if (refusal) throw unauthorized(refusal);
}

/** Revocations of tokens that have expired anyway: nothing checks them any more (minute cron). */
export function pruneRevokedTokens(db: D1Database, now = Date.now()): Promise<D1Result> {
  return db.prepare("DELETE FROM revoked_tokens WHERE expires_at < ?").bind(now).run();
}

/** Revokes one token until it would have expired anyway. */
export function revokeToken(db: D1Database, who: Principal, now = Date.now()): D1PreparedStatement {
  return db
    .prepare("INSERT INTO revoked_tokens (jti, user_id, expires_at, revoked_at) VALUES (?, ?, ?, ?) ON CONFLICT(jti) DO NOTHING")
    .bind(who.sessionId, who.userId, who.expiresAt, now);
}
