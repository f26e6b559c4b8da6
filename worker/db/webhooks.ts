// Webhook endpoints and their deliveries. Endpoint reads are scoped by tenant; the queue
// consumer reads a delivery by id (its message names it) and writes each attempt's outcome.
import { and, desc, eq, isNull, lt } from "drizzle-orm";
import { iso } from "../ids.ts";
import type { WebhookEventType } from "../webhooks/events.ts";
import type { Database } from "./client.ts";
import { webhookDeliveries, webhookEndpoints } from "./schema.ts";

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export function publicEndpoint(row: EndpointRow) {
  return { id: row.id, url: row.url, events: JSON.parse(row.events) as WebhookEventType[], created_at: iso(row.createdAt)! };
}

export function publicDelivery(row: DeliveryRow) {
  return {
    id: row.id,
    event_id: row.eventId,
    event: row.eventType as WebhookEventType,
    status: row.status,
    attempts: row.attempts,
    last_status_code: row.lastStatusCode,
    last_error: row.lastError,
    last_attempt_at: iso(row.lastAttemptAt),
    next_attempt_at: row.status === "pending" ? iso(row.nextAttemptAt) : null,
    delivered_at: iso(row.deliveredAt),
    created_at: iso(row.createdAt)!,
  };
}

export function insertEndpoint(db: Database, row: typeof webhookEndpoints.$inferInsert) {
  return db.insert(webhookEndpoints).values(row).returning().get();
}

export function endpointsOf(db: Database, tenantId: string) {
  return db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.tenantId, tenantId), isNull(webhookEndpoints.deletedAt)))
    .orderBy(desc(webhookEndpoints.createdAt))
    .all();
}

export function endpointInTenant(db: Database, tenantId: string, id: string) {
  return db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.tenantId, tenantId), isNull(webhookEndpoints.deletedAt)))
    .get();
}

/** Deletes an endpoint (kept as deleted, so its deliveries still name it); false when there is none. */
export async function deleteEndpoint(db: Database, tenantId: string, id: string, now: number): Promise<boolean> {
  const row = await db
    .update(webhookEndpoints)
    .set({ deletedAt: now })
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.tenantId, tenantId), isNull(webhookEndpoints.deletedAt)))
    .returning({ id: webhookEndpoints.id })
    .get();
  return row !== undefined;
}

/** An endpoint's deliveries, newest first. */
export function deliveriesOf(db: Database, endpointId: string, limit: number) {
  return db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.endpointId, endpointId))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit)
    .all();
}

export function deliveryOfEndpoint(db: Database, endpointId: string, id: string) {
  return db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.endpointId, endpointId)))
    .get();
}

export function pendingDeliveryIdsOfEvent(db: Database, eventId: string) {
  return db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.eventId, eventId), eq(webhookDeliveries.status, "pending")))
    .all();
}

/** A delivery with its endpoint, for one attempt. */
export function deliveryForAttempt(db: Database, id: string) {
  return db
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(eq(webhookDeliveries.id, id))
    .get();
}

/** Records one attempt's outcome. */
export function noteAttempt(
  db: Database,
  id: string,
  outcome: {
    status: DeliveryRow["status"];
    attempts: number;
    statusCode: number | null;
    error: string | null;
    at: number;
    nextAttemptAt: number | null;
  },
) {
  return db
    .update(webhookDeliveries)
    .set({
      status: outcome.status,
      attempts: outcome.attempts,
      lastStatusCode: outcome.statusCode,
      lastError: outcome.error,
      lastAttemptAt: outcome.at,
      nextAttemptAt: outcome.nextAttemptAt,
      ...(outcome.status === "delivered" ? { deliveredAt: outcome.at } : {}),
    })
    .where(eq(webhookDeliveries.id, id))
    .run();
}

/** Marks a delivery failed (the dead-letter consumer's and the last attempt's write). */
export function markFailed(db: Database, id: string) {
  return db
    .update(webhookDeliveries)
    .set({ status: "failed", nextAttemptAt: null })
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.status, "pending")))
    .run();
}

/** Sends a delivery again: pending, due now (its attempts keep counting). */
export function requeueDelivery(db: Database, id: string, now: number) {
  return db.update(webhookDeliveries).set({ status: "pending", nextAttemptAt: now }).where(eq(webhookDeliveries.id, id)).run();
}

/** Pending deliveries whose attempt is overdue by more than the sweep's grace: their queue
 * message was lost (a refused send, or a crash after the batch). */
export function overdueDeliveryIds(db: Database, before: number, limit: number) {
  return db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.status, "pending"), lt(webhookDeliveries.nextAttemptAt, before)))
    .limit(limit)
    .all();
}

/** The records an anchor newly put on chain (leaves from the last confirmed anchor below it up
 * to its tree size), each with the verification it is about (null for direct calls). Raw SQL:
 * a record's verification is found through three tables by its kind's subject. */
export async function recordsNewlyAnchored(d1: D1Database, anchorId: string) {
  const { results } = await d1
    .prepare(
      `WITH a AS (SELECT tree_size, root_hash, tx_id, confirmed_at FROM blockchain_transactions WHERE id = ? AND status = 'confirmed'),
            below AS (SELECT COALESCE(MAX(b.tree_size), 0) AS size FROM blockchain_transactions b, a WHERE b.status = 'confirmed' AND b.tree_size < a.tree_size)
       SELECT r.id AS record_id, r.tenant_id, COALESCE(v.id, d.verification_id, c.verification_id) AS verification_id,
              a.tree_size, a.root_hash, a.tx_id, a.confirmed_at
       FROM a, below, audit_records r
       LEFT JOIN verifications v ON v.id = r.subject_id
       LEFT JOIN documents d ON d.id = r.subject_id
       LEFT JOIN video_calls c ON c.id = r.subject_id
       WHERE r.leaf_index >= below.size AND r.leaf_index < a.tree_size
       ORDER BY r.leaf_index`,
    )
    .bind(anchorId)
    .all<{
      record_id: string;
      tenant_id: string;
      verification_id: string | null;
      tree_size: number;
      root_hash: string;
      tx_id: string | null;
      confirmed_at: number;
    }>();
  return results;
}
