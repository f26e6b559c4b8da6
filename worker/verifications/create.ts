// Starting a verification (API.md "Start a verification"): a customer may hold only so many
// open verifications at once, and two creations at once cannot both pass that cap (the insert
// checks it in the same statement).
import type { Principal } from "../auth/principal.ts";
import { configFrom } from "../config.ts";
import { OPEN_STATUSES } from "../core/verification-status.ts";
import { createVerificationWithinCap } from "../db/verifications.ts";
import { conflict } from "../http/errors.ts";
import { newId } from "../ids.ts";
import type { Requirement } from "../core/queue/types.ts";
import type { UserInfo } from "../schemas/verifications.ts";

/** Creates the principal's verification; 409 past the cap of open verifications. */
export async function createVerification(env: Env, who: Principal, userInfo: UserInfo | undefined, requirements?: Requirement[]) {
  const now = Date.now();
  const id = newId(now);
  const max = configFrom(env).maxOpenVerificationsPerCustomer;
  const row = {
    id,
    tenantId: who.tenantId,
    customerId: who.userId,
    userInfo: userInfo ? JSON.stringify(userInfo) : null,
    requirements: requirements?.length ? JSON.stringify(requirements) : null,
    createdAt: now,
  };
  if (!(await createVerificationWithinCap(env.DB, row, OPEN_STATUSES, max))) {
    throw conflict("too_many_open_verifications", `A customer may have at most ${max} open verifications; finish or cancel one first.`, {
      max_open: max,
    });
  }
  return { id, status: "created" as const };
}
