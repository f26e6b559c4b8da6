// The video_calls table, read here. Only the QueueCoordinator writes it, through its outbox
// (outbox/d1-writer.ts): it owns a call while the call is live.
import { and, desc, eq, inArray, lt } from "drizzle-orm";
import type { Database } from "./client.ts";
import { verifications, videoCalls } from "./schema.ts";

export type VideoCallRow = typeof videoCalls.$inferSelect;

/** A call of the tenant (another tenant's call reads as unknown). */
export async function videoCallInTenant(db: Database, tenantId: string, id: string) {
  return db.query.videoCalls.findFirst({ where: and(eq(videoCalls.id, id), eq(videoCalls.tenantId, tenantId)) });
}

/** The tenant's calls, newest first. */
export async function recentVideoCalls(db: Database, tenantId: string, limit: number) {
  return db.query.videoCalls.findMany({ where: eq(videoCalls.tenantId, tenantId), orderBy: desc(videoCalls.createdAt), limit });
}

/** Whose finished calls a history lists: the tenant's, or one agent's or one customer's in it. */
export type HistoryScope = { tenantId: string; agentId?: string; customerId?: string };

/** A page of finished calls, newest first; the cursor is the last id seen (ids are time-ordered). */
export async function finishedCalls(db: Database, scope: HistoryScope, page: { limit: number; cursor?: string | undefined }) {
  const rows = await db.query.videoCalls.findMany({
    where: and(
      eq(videoCalls.tenantId, scope.tenantId),
      scope.agentId ? eq(videoCalls.agentId, scope.agentId) : undefined,
      scope.customerId ? eq(videoCalls.customerId, scope.customerId) : undefined,
      inArray(videoCalls.status, ["completed", "cancelled", "abandoned"]),
      page.cursor ? lt(videoCalls.id, page.cursor) : undefined,
    ),
    orderBy: desc(videoCalls.id),
    limit: page.limit + 1,
  });
  const items = rows.slice(0, page.limit);
  return { items, nextCursor: rows.length > page.limit ? items.at(-1)!.id : null };
}

/** The decision the verification holds for a completed call of the tenant (null while unrecorded). */
export async function recordedDecision(db: Database, tenantId: string, callId: string): Promise<string | null> {
  const row = await db
    .select({ decision: verifications.decision })
    .from(videoCalls)
    .innerJoin(verifications, eq(verifications.id, videoCalls.verificationId))
    .where(and(eq(videoCalls.id, callId), eq(videoCalls.tenantId, tenantId), eq(videoCalls.status, "completed")))
    .get();
  return row?.decision ?? null;
}
