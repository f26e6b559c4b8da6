// Legal hold: while a verification is held, neither a manager nor retention may erase it.
import type { Principal } from "../auth/principal.ts";
import { database } from "../db/client.ts";
import { lifecycleOf, placeLegalHold, releaseLegalHold, type LifecycleRow } from "../db/lifecycle.ts";
import { verificationFor } from "../db/verifications.ts";
import { notFound } from "../http/errors.ts";
import { iso } from "../ids.ts";
import { ERASED_STATUS } from "../core/verification-status.ts";
import { conflict } from "../http/errors.ts";

export function legalHoldView(verificationId: string, row: LifecycleRow | undefined) {
  const held = row?.legalHoldAt != null;
  return {
    verification_id: verificationId,
    on_hold: held,
    reason: held ? (row!.legalHoldReason ?? null) : null,
    placed_by: held ? (row!.legalHoldBy ?? null) : null,
    placed_at: held ? iso(row!.legalHoldAt) : null,
  };
}

/** Places a hold (again, with a new reason, if one is in place); 409 for an erased verification. */
export async function holdVerification(env: Env, who: Principal, id: string, reason: string) {
  const db = database(env.DB);
  const verification = await verificationFor(db, who, id);
  if (!verification) throw notFound("Verification");
  if (verification.status === ERASED_STATUS)
    throw conflict("verification_erased", "The verification was erased; there is nothing left to hold.");
  await placeLegalHold(db, { verificationId: id, tenantId: verification.tenantId }, { reason, by: who.userId, at: Date.now() });
  return legalHoldView(id, await lifecycleOf(db, id));
}

/** Releases the hold, if any (idempotent). */
export async function releaseVerification(env: Env, who: Principal, id: string) {
  const db = database(env.DB);
  const verification = await verificationFor(db, who, id);
  if (!verification) throw notFound("Verification");
  await releaseLegalHold(db, id);
  return legalHoldView(id, await lifecycleOf(db, id));
}
