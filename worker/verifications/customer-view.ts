// What a customer may see of their own verification and call: its status and place, never the
// risk internals (score, level, flags, source). Flags such as `document_reused` would otherwise
// let a customer probe whether an ID image was uploaded by somebody else.
import { can } from "../auth/permissions.ts";
import type { Principal } from "../auth/principal.ts";
import type { CallView } from "../schemas/messages.ts";

/** True when `who` may see risk scores and flags: staff who read the tenant's verifications. */
export const seesRisk = (who: Principal): boolean => can(who.role, "verifications.read_all");

/** A submit answer without the risk fields, for a customer. */
export function submitAnswerFor<T extends { fraud_score?: unknown; risk_level?: unknown; flags?: unknown; risk_source?: unknown }>(
  who: Principal,
  answer: T,
) {
  if (seesRisk(who)) return answer;
  const { fraud_score: _score, risk_level: _level, flags: _flags, risk_source: _source, ...rest } = answer;
  return rest;
}

/** A verification record with its fraud analysis hidden from a customer. */
export function verificationViewFor<T extends { fraud_analysis: unknown }>(who: Principal, view: T): T {
  return seesRisk(who) ? view : { ...view, fraud_analysis: null };
}

/** A call with its fraud score hidden from a customer. */
export function callViewFor<T extends Pick<CallView, "fraud_score"> | null>(who: Principal, call: T): T {
  return seesRisk(who) || call === null ? call : { ...call, fraud_score: null };
}
