// Webhook events: what each one carries, and the one statement that records an event for every
// endpoint subscribed to it. That statement runs in the D1 batch (or the Durable Object outbox)
// of the state change that causes the event, so a crash between the two loses no event; the
// delivery rows are then the webhooks' own outbox, drained through the webhook queue.
import type { WebhookEventType } from "../schemas/webhooks.ts";

export type { WebhookEventType };

/** One event. `id` is deterministic for its cause (a retried cause records it once); the body
 * every endpoint gets is `{type, timestamp, data}` with `data.external_ref` filled in from the
 * hosted session, when the verification has one. */
export type WebhookEvent = {
  id: string;
  tenant_id: string;
  type: WebhookEventType;
  verification_id: string | null;
  at: number;
  data: Record<string, unknown>;
};

/** The queue message that fans an event's deliveries out (webhooks/queue.ts). */
export type WebhookMessage = { event_id: string } | { delivery_id: string };

export function submittedEvent(v: { tenantId: string; verificationId: string; submittedAt: number }): WebhookEvent {
  return {
    id: `submitted-${v.verificationId}`,
    tenant_id: v.tenantId,
    type: "verification.submitted",
    verification_id: v.verificationId,
    at: v.submittedAt,
    data: { verification_id: v.verificationId, status: "pending_video_call", submitted_at: new Date(v.submittedAt).toISOString() },
  };
}

export function callStartedEvent(c: { tenantId: string; verificationId: string; callId: string; startedAt: number }): WebhookEvent {
  return {
    id: `call-started-${c.callId}-${c.startedAt}`,
    tenant_id: c.tenantId,
    type: "verification.call_started",
    verification_id: c.verificationId,
    at: c.startedAt,
    data: { verification_id: c.verificationId, call_id: c.callId, started_at: new Date(c.startedAt).toISOString() },
  };
}

export function decidedEvent(d: {
  tenantId: string;
  verificationId: string;
  callId: string;
  decision: string;
  reasonCode: string | null;
  decidedAt: number;
  auditRecordId: string;
}): WebhookEvent {
  return {
    id: `decided-${d.callId}`,
    tenant_id: d.tenantId,
    type: "verification.decided",
    verification_id: d.verificationId,
    at: d.decidedAt,
    data: {
      verification_id: d.verificationId,
      call_id: d.callId,
      decision: d.decision,
      reason_code: d.reasonCode,
      decided_at: new Date(d.decidedAt).toISOString(),
      audit_record_id: d.auditRecordId,
      // Relative to the API base; the record's owner or the tenant's staff may read it.
      receipt_url: `/api/v1/audit/receipts/${encodeURIComponent(d.auditRecordId)}`,
    },
  };
}

export function anchoredEvent(a: {
  tenantId: string;
  verificationId: string;
  treeSize: number;
  rootHash: string;
  txId: string | null;
  recordIds: string[];
  at: number;
}): WebhookEvent {
  return {
    id: `anchored-${a.verificationId}-${a.treeSize}`,
    tenant_id: a.tenantId,
    type: "verification.anchored",
    verification_id: a.verificationId,
    at: a.at,
    data: {
      verification_id: a.verificationId,
      record_ids: a.recordIds,
      tree_size: a.treeSize,
      root_hash: a.rootHash,
      tx_id: a.txId,
      anchored_at: new Date(a.at).toISOString(),
    },
  };
}

const body = (e: WebhookEvent) => JSON.stringify({ type: e.type, timestamp: new Date(e.at).toISOString(), data: e.data });

/** Records `event` for every live endpoint of its tenant subscribed to its type (or only for
 * `endpointId`); a repeat records nothing (unique event and endpoint). Raw SQL: the fan-out is
 * one INSERT … SELECT over the endpoints, which drizzle cannot say. */
export function recordEventStatement(d1: D1Database, event: WebhookEvent, endpointId?: string): D1PreparedStatement {
  const target = endpointId ? "e.id = ?" : "EXISTS (SELECT 1 FROM json_each(e.events) WHERE json_each.value = ?)";
  return d1
    .prepare(
      `INSERT INTO webhook_deliveries (id, tenant_id, endpoint_id, event_id, event_type, payload, status, attempts, next_attempt_at, created_at)
       SELECT 'msg_' || lower(hex(randomblob(16))), e.tenant_id, e.id, ?, ?,
              json_set(?, '$.data.external_ref', (SELECT h.external_ref FROM hosted_sessions h WHERE h.verification_id = ?)),
              'pending', 0, ?, ?
       FROM webhook_endpoints e
       WHERE e.tenant_id = ? AND e.deleted_at IS NULL AND ${target}
       ON CONFLICT(event_id, endpoint_id) DO NOTHING`,
    )
    .bind(event.id, event.type, body(event), event.verification_id, event.at, event.at, event.tenant_id, endpointId ?? event.type);
}

/** Puts recorded events on the webhook queue; a refusal is left to the minute sweep. */
export async function queueEvents(env: Env, eventIds: string[]): Promise<void> {
  if (eventIds.length === 0) return;
  try {
    await env.WEBHOOK_QUEUE.sendBatch(eventIds.map((event_id) => ({ body: { event_id } satisfies WebhookMessage })));
  } catch {
    // The delivery rows are pending in D1: the sweep (webhooks/queue.ts) queues them again.
  }
}

/** Records events in their own batch and queues them, for causes whose change is already stored. */
export async function emitEvents(env: Env, events: WebhookEvent[]): Promise<void> {
  if (events.length === 0) return;
  await env.DB.batch(events.map((e) => recordEventStatement(env.DB, e)));
  await queueEvents(
    env,
    events.map((e) => e.id),
  );
}
