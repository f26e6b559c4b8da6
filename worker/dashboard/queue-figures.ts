// Per-queue figures (issue 17): each queue's live counts from the coordinator beside its
// period's service level and abandonment from D1, one aggregate per queue (tenants have few).
import { queueFiguresView, type LiveQueueFigures } from "../core/queue/index.ts";
import type { QueueFigures } from "../schemas/routing.ts";
import { callAggregates } from "./queries.ts";

/** The figures of every queue in `live`, over the last `hours` hours. */
export async function queueFigures(
  db: D1Database,
  tenantId: string,
  live: LiveQueueFigures[],
  hours: number,
  defaultTarget: number,
  now = Date.now(),
): Promise<QueueFigures[]> {
  const since = now - hours * 3_600_000;
  const past = await Promise.all(
    live.map((q) => callAggregates(db, tenantId, since, now, q.serviceLevelSeconds ?? defaultTarget, q.queueId)),
  );
  return live.map((q, i) => queueFiguresView(q, past[i]!, defaultTarget));
}
