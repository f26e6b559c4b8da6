// Which verification states are settled: a decision (approved, rejected) or a cancellation.
// A settled verification is not queued for another call; "needs_review" is not settled.

export const SETTLED_STATUSES: ReadonlySet<string> = new Set(["approved", "rejected", "cancelled"]);

/** True when a verification in `status` may not be queued for a call again. */
export function isSettled(status: string | null | undefined): boolean {
  return status != null && SETTLED_STATUSES.has(status);
}
