// Per-queue live figures (issue 17): what waits in each of the tenant's queues, for how long,
// and what waits for an agent who is not there. Pure; the history beside them (service level,
// abandonment) comes from D1 (worker/dashboard/queries.ts).
import { percent, type CallAggregates } from "../metrics.ts";
import type { QueueFigures } from "../../schemas/routing.ts";
import { queueOf, queuesInOrder, unmatched } from "./routing.ts";
import type { QueueConfig, QueueState, RoutingQueue } from "./types.ts";

export type LiveQueueFigures = {
  /** null: the default queue (calls no routing queue matched). */
  queueId: string | null;
  name: string;
  serviceLevelSeconds: number | null;
  waiting: number;
  longestWaitSeconds: number;
  /** Waiting calls that waited past the queue's service-level target already. */
  overTarget: number;
  /** Waiting calls no online agent meets the requirements of at their step. */
  unmatchedCallIds: string[];
};

/** One entry per configured queue (in order, empty ones too) and the default queue last. */
export function liveQueueFigures(state: QueueState, config: Pick<QueueConfig, "queues">, now: number): LiveQueueFigures[] {
  const entry = (queue: RoutingQueue | null): LiveQueueFigures => ({
    queueId: queue?.id ?? null,
    name: queue?.name ?? "Default",
    serviceLevelSeconds: queue?.serviceLevelSeconds ?? null,
    waiting: 0,
    longestWaitSeconds: 0,
    overTarget: 0,
    unmatchedCallIds: [],
  });
  const figures = new Map<string | null, LiveQueueFigures>();
  for (const queue of queuesInOrder(config)) figures.set(queue.id, entry(queue));
  figures.set(null, entry(null));
  for (const call of state.calls.values()) {
    if (call.status !== "pending") continue;
    const f = figures.get(queueOf(call, config)?.id ?? null)!;
    const waited = Math.max(0, Math.round((now - call.enqueuedAt) / 1000));
    f.waiting += 1;
    f.longestWaitSeconds = Math.max(f.longestWaitSeconds, waited);
    if (f.serviceLevelSeconds !== null && waited > f.serviceLevelSeconds) f.overTarget += 1;
    if (unmatched(call, state.agents.values())) f.unmatchedCallIds.push(call.id);
  }
  return [...figures.values()];
}

/** A queue's figures as the dashboard shows them: live counts beside the period's service level
 * (against the queue's own target; the tenant's for the default queue) and abandonment. */
export function queueFiguresView(live: LiveQueueFigures, past: CallAggregates, defaultTarget: number): QueueFigures {
  return {
    queue_id: live.queueId,
    name: live.name,
    waiting: live.waiting,
    longest_wait_seconds: live.longestWaitSeconds,
    service_level_seconds: live.serviceLevelSeconds ?? defaultTarget,
    service_level: percent(past.acceptedWithinTarget, past.accepted + past.unanswered + past.waitingPastTarget),
    abandonment_rate: percent(past.customerLeft, past.accepted + past.unanswered),
    total_calls: past.total,
    unmatched_call_ids: live.unmatchedCallIds,
  };
}
