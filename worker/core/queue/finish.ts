// Closing a call: it leaves the live queue, its agent's slot frees (with wrap-up after a
// completed call) and the agent's statistics move.
import { agentFor, putAgent, releaseOffer } from "./agents.ts";
import type { CallOutcome, FinishReason, QueueTx } from "./transaction.ts";
import type { Call, FinishedCallStatus } from "./types.ts";

/** Seconds a call has run at `now`: from its start, or from its assignment if it never started. */
export function callSeconds(call: { startedAt: number | null; assignedAt: number | null }, now: number): number | null {
  const since = call.startedAt ?? call.assignedAt;
  return since === null ? null : Math.max(0, Math.round((now - since) / 1000));
}

/** Removes `call` from the live queue as `status`; returns the duration it counted. */
export function finishCall(
  tx: QueueTx,
  call: Call,
  status: FinishedCallStatus,
  reason: FinishReason,
  durationSeconds: number | null,
  outcome: CallOutcome | null = null,
): number | null {
  const closing = call.offer ? releaseOffer(tx, call, "call_closed") : call;
  const agentId = call.assignedAgentId;
  let duration = durationSeconds;
  if (duration === null && status === "completed") duration = callSeconds(call, tx.now) ?? 0;
  if (agentId) {
    const agent = agentFor(tx, agentId);
    const completed = status === "completed";
    const wrapUp = completed && tx.config.wrapUpSeconds > 0 ? tx.now + tx.config.wrapUpSeconds * 1000 : null;
    putAgent(tx, tx.agents.get(agentId), {
      ...agent,
      activeCallIds: agent.activeCallIds.filter((id) => id !== call.id),
      idleSince: wrapUp ?? tx.now,
      wrapUpUntil: wrapUp ?? agent.wrapUpUntil,
      ...(completed
        ? {
            callsToday: agent.callsToday + 1,
            completedCalls: agent.completedCalls + 1,
            totalCallSeconds: agent.totalCallSeconds + (duration ?? 0),
          }
        : {}),
    });
  }
  tx.removeCall(call.id);
  tx.emit({ type: "finished", call: closing, status, reason, endedAt: tx.now, durationSeconds: duration, outcome });
  return duration;
}
