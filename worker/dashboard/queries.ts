// Historical dashboard figures from D1. Each query is one aggregate over an index range
// (video_calls_tenant_created, call_offers_tenant_offered), so it stays fast as the table
// grows: the work is proportional to the calls in the period, not to all calls.
// Raw SQL, read-only (the tables' writer is the outbox, outbox/d1-writer.ts): each query is one
// hand-tuned aggregate (conditional SUMs, strftime buckets) whose index use
// test/worker/dashboard/query-plans.test.ts and bench/dashboard-queries.ts pin down; in drizzle
// it would be the same SQL in sql`` fragments, with the plan harder to read off.
import type { AgentAggregates, CallAggregates, OfferAggregates } from "../core/metrics.ts";
import { hourKey } from "../core/metrics.ts";

const n = (v: unknown) => Number(v ?? 0);

/** Counts and sums over the tenant's calls created since `since`. */
/** An agent with nothing in the period: every count zero. */
export const noAgentAggregates = (agentId: string): AgentAggregates => ({
  agentId,
  total: 0,
  completed: 0,
  approved: 0,
  durationSum: 0,
  durationCount: 0,
  offersAccepted: 0,
  offersRejected: 0,
  offersExpired: 0,
});

export async function callAggregates(
  db: D1Database,
  tenantId: string,
  since: number,
  now: number,
  serviceLevelSeconds: number,
  /** One routing queue's calls (null: the default queue's); all the tenant's when left out. */
  queueId?: string | null,
): Promise<CallAggregates> {
  const row = await db
    .prepare(
      `SELECT
         COUNT(*) AS total,
         SUM(status = 'completed') AS completed,
         SUM(CASE WHEN status = 'completed' THEN duration_seconds END) AS duration_sum,
         SUM(status = 'completed' AND duration_seconds IS NOT NULL) AS duration_count,
         SUM(status = 'completed' AND decision = 'approved') AS approved,
         SUM(status = 'completed' AND decision = 'rejected') AS rejected,
         SUM(status = 'completed' AND decision = 'needs_review') AS needs_review,
         SUM(status = 'cancelled') AS cancelled,
         SUM(status = 'abandoned') AS abandoned,
         SUM(assigned_at IS NOT NULL) AS accepted,
         SUM(CASE WHEN assigned_at IS NOT NULL THEN wait_seconds END) AS wait_sum,
         SUM(assigned_at IS NOT NULL AND wait_seconds <= ?3) AS within_target,
         SUM(assigned_at IS NULL AND status IN ('cancelled', 'abandoned')) AS unanswered,
         SUM(assigned_at IS NULL AND status IN ('cancelled', 'abandoned') AND end_reason = 'customer_cancelled') AS customer_left,
         SUM(status = 'pending' AND created_at <= ?4) AS waiting_past_target
       FROM video_calls WHERE tenant_id = ?1 AND created_at >= ?2${queueId === undefined ? "" : " AND queue_id IS ?5"}`,
    )
    .bind(tenantId, since, serviceLevelSeconds, now - serviceLevelSeconds * 1000, ...(queueId === undefined ? [] : [queueId]))
    .first<Record<string, unknown>>();
  return {
    total: n(row?.total),
    completed: n(row?.completed),
    durationSum: n(row?.duration_sum),
    durationCount: n(row?.duration_count),
    approved: n(row?.approved),
    rejected: n(row?.rejected),
    needsReview: n(row?.needs_review),
    cancelled: n(row?.cancelled),
    abandoned: n(row?.abandoned),
    accepted: n(row?.accepted),
    waitSum: n(row?.wait_sum),
    acceptedWithinTarget: n(row?.within_target),
    unanswered: n(row?.unanswered),
    customerLeft: n(row?.customer_left),
    waitingPastTarget: n(row?.waiting_past_target),
  };
}

/** Offers made since `since`, by outcome. */
export async function offerAggregates(db: D1Database, tenantId: string, since: number): Promise<OfferAggregates> {
  const row = await db
    .prepare(
      `SELECT COUNT(*) AS made, SUM(outcome = 'accepted') AS accepted, SUM(outcome = 'rejected') AS rejected,
              SUM(outcome = 'expired') AS expired, SUM(outcome = 'released') AS released
       FROM call_offers WHERE tenant_id = ? AND offered_at >= ?`,
    )
    .bind(tenantId, since)
    .first<Record<string, unknown>>();
  return {
    made: n(row?.made),
    accepted: n(row?.accepted),
    rejected: n(row?.rejected),
    expired: n(row?.expired),
    released: n(row?.released),
  };
}

/** Per-agent counts since `since` (only `agentId` when given). */
export async function agentAggregates(db: D1Database, tenantId: string, since: number, agentId?: string): Promise<AgentAggregates[]> {
  const only = agentId ? " AND agent_id = ?3" : "";
  const calls = await db
    .prepare(
      `SELECT agent_id, COUNT(*) AS total, SUM(status = 'completed') AS completed,
              SUM(status = 'completed' AND decision = 'approved') AS approved,
              SUM(CASE WHEN status = 'completed' THEN duration_seconds END) AS duration_sum,
              SUM(status = 'completed' AND duration_seconds IS NOT NULL) AS duration_count
       FROM video_calls WHERE tenant_id = ?1 AND created_at >= ?2 AND agent_id IS NOT NULL${only} GROUP BY agent_id`,
    )
    .bind(tenantId, since, ...(agentId ? [agentId] : []))
    .all<Record<string, unknown>>();
  const offers = await db
    .prepare(
      `SELECT agent_id, SUM(outcome = 'accepted') AS accepted, SUM(outcome = 'rejected') AS rejected, SUM(outcome = 'expired') AS expired
       FROM call_offers WHERE tenant_id = ?1 AND offered_at >= ?2${only} GROUP BY agent_id`,
    )
    .bind(tenantId, since, ...(agentId ? [agentId] : []))
    .all<Record<string, unknown>>();
  const byAgent = new Map<string, AgentAggregates>();
  const entry = (id: string) => {
    let a = byAgent.get(id);
    if (!a) {
      a = noAgentAggregates(id);
      byAgent.set(id, a);
    }
    return a;
  };
  for (const r of calls.results) {
    Object.assign(entry(String(r.agent_id)), {
      total: n(r.total),
      completed: n(r.completed),
      approved: n(r.approved),
      durationSum: n(r.duration_sum),
      durationCount: n(r.duration_count),
    });
  }
  for (const r of offers.results) {
    Object.assign(entry(String(r.agent_id)), { offersAccepted: n(r.accepted), offersRejected: n(r.rejected), offersExpired: n(r.expired) });
  }
  return [...byAgent.values()];
}

/** Calls created per UTC hour since `since`, keyed like hourKey(). */
export async function callsByHour(db: D1Database, tenantId: string, since: number): Promise<Record<string, number>> {
  const rows = await db
    .prepare(
      `SELECT strftime('%Y-%m-%d %H:00', created_at / 1000, 'unixepoch') AS hour, COUNT(*) AS calls
       FROM video_calls WHERE tenant_id = ? AND created_at >= ? GROUP BY hour`,
    )
    .bind(tenantId, since)
    .all<{ hour: string; calls: number }>();
  return Object.fromEntries(rows.results.map((r) => [r.hour, r.calls]));
}

/** The start of the hour `hours - 1` hours before the one containing `now`. */
export const firstHourStart = (now: number, hours: number) => (Math.floor(now / 3_600_000) - (hours - 1)) * 3_600_000;

export { hourKey };
