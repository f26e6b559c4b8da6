// The blockchain_transactions table: one anchor per anchored tree size, written only here (by
// the anchor queue consumer, its dead-letter consumer and the sweep's confirmations).
import { and, asc, count, desc, eq, gt, inArray, isNotNull, max, min, ne, or, sql } from "drizzle-orm";
import type { Backlog } from "../core/health.ts";
import type { Database } from "./client.ts";
import { blockchainTransactions as anchors } from "./schema.ts";

export type AnchorRow = typeof anchors.$inferSelect;

/** The anchor that covers leaf `index`: the smallest confirmed one, else the newest attempt. */
export async function anchorCovering(db: Database, index: number): Promise<AnchorRow | null> {
  const confirmed = await db.query.blockchainTransactions.findFirst({
    where: and(eq(anchors.status, "confirmed"), gt(anchors.treeSize, index)),
    orderBy: asc(anchors.treeSize),
  });
  if (confirmed) return confirmed;
  return (await db.query.blockchainTransactions.findFirst({ where: gt(anchors.treeSize, index), orderBy: desc(anchors.treeSize) })) ?? null;
}

/** An anchor by its Thronos tx id, its anchored root (any case) or its own id; the largest first. */
export async function anchorByKey(db: Database, key: string) {
  return db.query.blockchainTransactions.findFirst({
    where: or(eq(anchors.txId, key), eq(anchors.rootHash, sql`lower(${key})`), eq(anchors.id, key)),
    orderBy: desc(anchors.treeSize),
  });
}

/** Submitted anchors still waiting for their confirmation (at most `limit`). */
export async function unconfirmedSubmissions(db: Database, limit: number) {
  return db
    .select({ id: anchors.id, rootHash: anchors.rootHash })
    .from(anchors)
    .where(and(eq(anchors.status, "pending"), isNotNull(anchors.txId)))
    .limit(limit);
}

/** The largest tree size an anchor confirmed or still in flight covers (0 without one). */
export async function coveredTreeSize(db: Database): Promise<number> {
  const row = await db
    .select({ size: max(anchors.treeSize) })
    .from(anchors)
    .where(inArray(anchors.status, ["pending", "confirmed"]))
    .get();
  return row?.size ?? 0;
}

/** Opens the anchor of a tree size (pending, no attempts yet) unless it exists; returns its status. */
export async function openAnchor(db: Database, anchor: { id: string; treeSize: number; rootHash: string }, now: number) {
  await db
    .insert(anchors)
    .values({ ...anchor, status: "pending", attempts: 0, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: anchors.id });
  const row = await db.select({ status: anchors.status }).from(anchors).where(eq(anchors.id, anchor.id)).get();
  return row?.status ?? null;
}

/** The master accepted the root: note the transaction (first submission time and height kept).
 * Confirmed is final: a concurrent delivery answered after the confirmation changes nothing. */
export async function noteAnchorSubmitted(
  db: Database,
  id: string,
  submitted: { txId: string; blockHeight: number | null; nodeUrl: string | null },
  now: number,
) {
  await db
    .update(anchors)
    .set({
      txId: submitted.txId,
      blockHeight: sql`COALESCE(${submitted.blockHeight}, ${anchors.blockHeight})`,
      nodeUrl: submitted.nodeUrl,
      submittedAt: sql`COALESCE(${anchors.submittedAt}, ${now})`,
      attempts: sql`${anchors.attempts} + 1`,
      error: null,
      status: "pending",
      updatedAt: now,
    })
    .where(and(eq(anchors.id, id), ne(anchors.status, "confirmed")));
}

/** An attempt failed: pending while it may be retried, failed otherwise; unless a concurrent
 * delivery confirmed the anchor meanwhile. */
export async function noteAnchorAttemptFailed(
  db: Database,
  id: string,
  failure: { message: string; nodeUrl: string | null; retryable: boolean },
  now: number,
) {
  await db
    .update(anchors)
    .set({
      attempts: sql`${anchors.attempts} + 1`,
      error: failure.message,
      nodeUrl: failure.nodeUrl,
      status: failure.retryable ? "pending" : "failed",
      updatedAt: now,
    })
    .where(and(eq(anchors.id, id), ne(anchors.status, "confirmed")));
}

/** The chain shows the root: confirmed (the first confirmation time stays). */
export async function noteAnchorConfirmed(
  db: Database,
  id: string,
  found: { txId: string | null; blockHeight: number | null },
  now: number,
) {
  await db
    .update(anchors)
    .set({
      status: "confirmed",
      txId: found.txId,
      blockHeight: found.blockHeight,
      confirmedAt: sql`COALESCE(${anchors.confirmedAt}, ${now})`,
      error: null,
      updatedAt: now,
    })
    .where(eq(anchors.id, id));
}

/** The queue gave up on an anchor: failed, unless it was confirmed meanwhile. */
export async function noteAnchorAbandoned(db: Database, id: string, now: number) {
  await db
    .update(anchors)
    .set({ status: "failed", error: sql`COALESCE(${anchors.error}, 'gave up after retries')`, updatedAt: now })
    .where(and(eq(anchors.id, id), ne(anchors.status, "confirmed")));
}

/** The largest tree size a confirmed anchor covers (0 without one), as a subquery. */
export const confirmedTreeSize = sql`(SELECT COALESCE(MAX(${anchors.treeSize}), 0) FROM ${anchors} WHERE ${anchors.status} = 'confirmed')`;

/** Failed anchors (the anchor queue's dead letters, or a permanent refusal) that no confirmed
 * anchor has superseded: their leaves wait for an anchor nothing retries by itself. */
const abandoned = and(eq(anchors.status, "failed"), gt(anchors.treeSize, confirmedTreeSize));

/** How many anchors are abandoned, and since when (health's dead letters). */
export async function abandonedAnchorBacklog(db: Database): Promise<Backlog> {
  const row = await db
    .select({ count: count(), oldest: min(anchors.updatedAt) })
    .from(anchors)
    .where(abandoned)
    .get();
  return { count: row?.count ?? 0, oldestAt: row?.oldest ?? null };
}

/** The checkpoints of the abandoned anchors, smallest first, for the re-drive. */
export async function abandonedAnchors(db: Database) {
  return db
    .select({ treeSize: anchors.treeSize, rootHash: anchors.rootHash })
    .from(anchors)
    .where(abandoned)
    .orderBy(asc(anchors.treeSize));
}
