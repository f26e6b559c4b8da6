// The dashboard's figures: D1's history for the period plus the coordinator's live view.
import { dashboardMetrics, type CallAggregates, type LiveFigures, type OfferAggregates } from "../core/metrics.ts";
import type { DashboardMetrics } from "../schemas/messages.ts";
import { callAggregates, offerAggregates } from "./queries.ts";

export type History = { calls: CallAggregates; offers: OfferAggregates };

/** The period's counts from D1 (the part worth caching). */
export async function history(
  db: D1Database,
  tenantId: string,
  hours: number,
  serviceLevelSeconds: number,
  now = Date.now(),
): Promise<History> {
  const since = now - hours * 3_600_000;
  const [calls, offers] = await Promise.all([
    callAggregates(db, tenantId, since, now, serviceLevelSeconds),
    offerAggregates(db, tenantId, since),
  ]);
  return { calls, offers };
}

/** History and live figures combined into the dashboard's metrics. */
export function combine(past: History, live: LiveFigures, hours: number, serviceLevelSeconds: number): DashboardMetrics {
  return dashboardMetrics(past.calls, past.offers, live, hours, serviceLevelSeconds);
}
