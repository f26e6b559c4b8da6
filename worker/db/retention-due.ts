// What retention finds due in a tenant (read only): verifications past a period, oldest first,
// never one under legal hold, already erased, or still owned by the queue. Raw SQL: a join
// with the lifecycle table and a status list.
import type { VerificationRow } from "./verifications.ts";

const NOT_HELD_OR_LIVE = `v.tenant_id = ? AND v.status NOT IN ('erased', 'pending_video_call', 'in_video_call') AND l.legal_hold_at IS NULL`;

type Due = Pick<VerificationRow, "id" | "tenantId" | "status">;

async function due(d1: D1Database, where: string, params: unknown[], orderBy: string, limit: number): Promise<Due[]> {
  const { results } = await d1
    .prepare(
      `SELECT v.id, v.tenant_id AS tenantId, v.status FROM verifications v
       LEFT JOIN verification_lifecycle l ON l.verification_id = v.id
       WHERE ${NOT_HELD_OR_LIVE} AND ${where} ORDER BY ${orderBy}, v.id LIMIT ?`,
    )
    .bind(...params, limit)
    .all<Due>();
  return results;
}

/** Decided before `cutoff`: the whole verification is due for erasure. */
export const decidedBefore = (d1: D1Database, tenantId: string, cutoff: number, limit: number) =>
  due(d1, "v.decided_at IS NOT NULL AND v.decided_at < ?", [tenantId, cutoff], "v.decided_at", limit);

/** Never decided, and untouched since before `cutoff` (created and left, or cancelled). */
export const abandonedBefore = (d1: D1Database, tenantId: string, cutoff: number, limit: number) =>
  due(d1, "v.decided_at IS NULL AND v.status IN ('created', 'cancelled') AND v.updated_at < ?", [tenantId, cutoff], "v.updated_at", limit);

/** Decided before `cutoff` with document bytes not yet purged. */
export const documentsDueBefore = (d1: D1Database, tenantId: string, cutoff: number, limit: number) =>
  due(d1, "v.decided_at < ? AND l.documents_purged_at IS NULL", [tenantId, cutoff], "v.decided_at", limit);

/** Decided before `cutoff` with recordings not yet purged. */
export const recordingsDueBefore = (d1: D1Database, tenantId: string, cutoff: number, limit: number) =>
  due(d1, "v.decided_at < ? AND l.recordings_purged_at IS NULL", [tenantId, cutoff], "v.decided_at", limit);
