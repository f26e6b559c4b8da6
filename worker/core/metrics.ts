// Dashboard metrics (seed 002) and the service-level figures call centres use (Twilio
// TaskRouter, Asterisk queues). Pure: counts from D1 and live figures from the coordinator
// in, figures out. Definitions, over the calls created in the period:
//   total_calls          every call
//   completed_calls      calls an agent completed with a decision
//   average_duration     mean talk time of completed calls, seconds
//   success_rate         % of completed calls approved
//   outcome_counts       finished calls by outcome (the decision, or cancelled / abandoned)
//   average_wait_seconds mean wait from joining the queue until an agent took the call
//   service_level        % of calls taken within SERVICE_LEVEL_SECONDS, out of the calls that
//                        were taken, left unanswered, or are still waiting past the threshold
//   abandonment_rate     % of calls whose customer left before any agent took them, out of the
//                        calls that were taken or left unanswered
// Rates are percentages with one decimal; averages are seconds with one decimal; 0 when
// there is nothing to average.
import type { DashboardMetrics } from "../schemas/messages.ts";

export type CallAggregates = {
  total: number;
  completed: number;
  durationSum: number;
  durationCount: number;
  approved: number;
  rejected: number;
  needsReview: number;
  cancelled: number;
  abandoned: number;
  accepted: number;
  waitSum: number;
  acceptedWithinTarget: number;
  /** Ended (cancelled or abandoned) before any agent took them. */
  unanswered: number;
  /** Of those, left by the customer. */
  customerLeft: number;
  /** Still waiting, for longer than the service-level threshold. */
  waitingPastTarget: number;
};

export type OfferAggregates = { made: number; accepted: number; rejected: number; expired: number; released: number };

export type LiveFigures = {
  activeCalls: number;
  waiting: { urgent: number; high: number; normal: number; low: number };
  longestWaitSeconds: number;
  agents: { online: number; available: number; inCall: number };
};

const oneDecimal = (n: number) => Math.round(n * 10) / 10;
/** `part` of `whole` as a percentage with one decimal; 0 when `whole` is 0. */
export const percent = (part: number, whole: number) => (whole > 0 ? oneDecimal((100 * part) / whole) : 0);
export const mean = (sum: number, count: number) => (count > 0 ? oneDecimal(sum / count) : 0);

export function dashboardMetrics(
  calls: CallAggregates,
  offers: OfferAggregates,
  live: LiveFigures,
  periodHours: number,
  serviceLevelSeconds: number,
): DashboardMetrics {
  return {
    total_calls: calls.total,
    active_calls: live.activeCalls,
    completed_calls: calls.completed,
    average_duration: mean(calls.durationSum, calls.durationCount),
    success_rate: percent(calls.approved, calls.completed),
    outcome_counts: {
      approved: calls.approved,
      rejected: calls.rejected,
      needs_review: calls.needsReview,
      cancelled: calls.cancelled,
      abandoned: calls.abandoned,
    },
    period_hours: periodHours,
    average_wait_seconds: mean(calls.waitSum, calls.accepted),
    service_level: percent(calls.acceptedWithinTarget, calls.accepted + calls.unanswered + calls.waitingPastTarget),
    service_level_seconds: serviceLevelSeconds,
    abandonment_rate: percent(calls.customerLeft, calls.accepted + calls.unanswered),
    offers,
    longest_current_wait_seconds: live.longestWaitSeconds,
    waiting_by_priority: live.waiting,
    agents: { online: live.agents.online, available: live.agents.available, in_call: live.agents.inCall },
  };
}

export type AgentAggregates = {
  agentId: string;
  total: number;
  completed: number;
  approved: number;
  durationSum: number;
  durationCount: number;
  offersAccepted: number;
  offersRejected: number;
  offersExpired: number;
};

export type AgentPerformance = {
  agent_id: string;
  name: string;
  total_calls: number;
  completed_calls: number;
  average_duration: number;
  success_rate: number;
  offers_accepted: number;
  offers_rejected: number;
  offers_expired: number;
  /** % of offers made to the agent that they accepted. */
  acceptance_rate: number;
};

export function agentPerformance(row: AgentAggregates, name: string): AgentPerformance {
  const offers = row.offersAccepted + row.offersRejected + row.offersExpired;
  return {
    agent_id: row.agentId,
    name,
    total_calls: row.total,
    completed_calls: row.completed,
    average_duration: mean(row.durationSum, row.durationCount),
    success_rate: percent(row.approved, row.completed),
    offers_accepted: row.offersAccepted,
    offers_rejected: row.offersRejected,
    offers_expired: row.offersExpired,
    acceptance_rate: percent(row.offersAccepted, offers),
  };
}

/** "YYYY-MM-DD HH:00" (UTC) of the hour that contains `ms`. */
export function hourKey(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 13)}:00`;
}

/** One entry per hour of the period, oldest first, zero where nothing happened. */
export function callsPerHour(counts: Record<string, number>, now: number, hours: number): Record<string, number> {
  const out: Record<string, number> = {};
  const start = Math.floor(now / 3_600_000) - (hours - 1);
  for (let h = start; h <= Math.floor(now / 3_600_000); h++) {
    const key = hourKey(h * 3_600_000);
    out[key] = counts[key] ?? 0;
  }
  return out;
}
