// Which verification states are settled: a decision (approved, rejected) or a cancellation.
// A settled verification is not queued for another call; "needs_review" is not settled.

export const SETTLED_STATUSES: ReadonlySet<string> = new Set(["approved", "rejected", "cancelled"]);

/** True when a verification in `status` may not be queued for a call again. */
export function isSettled(status: string | null | undefined): boolean {
  return status != null && SETTLED_STATUSES.has(status);
}

/** An erased verification keeps its row and status, nothing else (README "Data lifecycle"). */
export const ERASED_STATUS = "erased";

/** True when a verification may not be queued for a call again: settled, or erased. */
export function isClosed(status: string | null | undefined): boolean {
  return isSettled(status) || status === ERASED_STATUS;
}

/** Verifications not yet decided or cancelled: they count toward a customer's open cap. */
export const OPEN_STATUSES: readonly string[] = ["created", "pending_video_call", "in_video_call"];

/** True while a verification still takes documents: created and not frozen by a submit (the
 * document insert checks the same in SQL, verifications/accept-document.ts). */
export function takesDocuments(v: { status: string; submittedAt: number | null }): boolean {
  return v.status === "created" && v.submittedAt === null;
}
