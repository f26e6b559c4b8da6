// The coordinator's answers for commands on calls or verifications that are no longer live:
// rules over what the object stored, kept here so its shell decides nothing. Pure.
import type { CallView } from "../../schemas/messages.ts";
import { fail, ok, type Outcome } from "./transaction.ts";
import { isSettled } from "../verification-status.ts";

/** A finished call as the coordinator keeps it for a week: its view and a completion's result. */
export type FinishedCall = { view: CallView; result: unknown };

/** 409 for an action on a call that already left the queue (unknown ids stay 404, decided by
 * the command). */
export function alreadyClosed(finished: FinishedCall | null): Outcome<never> | null {
  if (!finished) return null;
  return fail(409, "call_already_closed", `The call was ${finished.view.status}.`, { status: finished.view.status });
}

/** A verification that was decided takes no new call. */
export function verificationClosed(decided: string | null): Outcome<never> | null {
  return isSettled(decided) ? fail(409, "verification_closed", `The verification was already ${decided}.`, { status: decided }) : null;
}

/** A completion retried after the call finished: the first result again, unchanged, or 409 when
 * the call ended some other way. */
export function completionReplay<R>(finished: FinishedCall): Outcome<{ call: CallView; result: R | null; repeated: true }> {
  if (finished.view.status !== "completed") return fail(409, "call_already_closed", `The call was ${finished.view.status}.`);
  return ok({ call: finished.view, result: finished.result as R | null, repeated: true as const });
}
