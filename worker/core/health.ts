// What `/api/v1/health` concludes from its checks. Pure: the route measures, this decides.
// A dependency is degraded when it is down or degraded; a backlog is degraded when work has
// waited longer than the pipeline ever needs when healthy.

/** Unlogged audit records older than this mean the log pipeline is stuck: healthy, the queue
 * logs a record within seconds and the minute sweep queues a lost one again after a minute. */
export const AUDIT_BACKLOG_AFTER_MS = 5 * 60_000;

/** Logged leaves without a confirmed anchor this long mean anchoring is stuck: healthy, a root
 * is anchored within the anchor interval (seconds) plus a few retries. */
export const ANCHOR_BACKLOG_AFTER_MS = 15 * 60_000;

/** Work waiting in the pipeline: how many items, and since when the oldest has waited. */
export type Backlog = { count: number; oldestAt: number | null };

export type PipelineCheck = {
  /** "unknown" when D1 could not be read (the d1 check then says why). */
  status: "ok" | "degraded" | "unknown";
  count: number;
  /** When the oldest waiting item was created (or abandoned, for dead letters). */
  oldest_at?: string;
  /** Items younger than this do not count: they are still on their normal way. */
  older_than_minutes?: number;
};

/** A backlog check: degraded as soon as one item has waited past the threshold (counted
 * by the query, which only sees items older than it). */
export function backlogCheck(backlog: Backlog, afterMs?: number): PipelineCheck {
  return {
    status: backlog.count > 0 ? "degraded" : "ok",
    count: backlog.count,
    ...(backlog.oldestAt !== null ? { oldest_at: new Date(backlog.oldestAt).toISOString() } : {}),
    ...(afterMs !== undefined ? { older_than_minutes: afterMs / 60_000 } : {}),
  };
}

/** Statuses that do not degrade the service: an unconfigured node is a deployment choice. */
const FINE = new Set(["ok", "not_configured"]);
/** A syncing replica ("degraded") is how a replica answers while its chain is empty
 * (THRONOS.md); reads then go to the master, so nothing is lost. A replica that is down is. */
const TOLERATED: Record<string, string> = { thronos_replica: "degraded" };

/** The overall status and the names of the checks that made it degraded, in check order. */
export function overallHealth(checks: Record<string, { status: string }>): { status: "ok" | "degraded"; degraded_by: string[] } {
  const degraded_by = Object.entries(checks)
    .filter(([name, check]) => !FINE.has(check.status) && TOLERATED[name] !== check.status)
    .map(([name]) => name);
  return { status: degraded_by.length === 0 ? "ok" : "degraded", degraded_by };
}
