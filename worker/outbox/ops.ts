// The outbox vocabulary: the D1 writes a Durable Object stores beside its state change (in the
// same storage transaction) and drains to D1 later, so a D1 hiccup loses nothing. Every object
// that records to D1 speaks it; worker/outbox/d1-writer.ts applies it.
import type { AuditRow } from "../db/audit-records.ts";
import type { WebhookEvent } from "../webhooks/events.ts";

export type CallFields = Partial<{
  status: string;
  priority: string;
  agent_id: string | null;
  session_id: string | null;
  assigned_at: number | null;
  started_at: number | null;
  ended_at: number | null;
  wait_seconds: number | null;
  duration_seconds: number | null;
  end_reason: string | null;
  decision: string | null;
  decision_reason: string | null;
  notes: string | null;
  notes_hash: string | null;
  notes_key: string | null;
  audit_record_id: string | null;
}>;

export type VerificationFields = Partial<{
  status: string;
  call_id: string;
  decision: string | null;
  decision_reason: string | null;
  decided_at: number | null;
}>;

export type D1Op =
  | {
      op: "call_insert";
      row: {
        id: string;
        tenant_id: string;
        verification_id: string;
        customer_id: string;
        user_name: string;
        status: string;
        priority: string;
        initial_priority: string;
        fraud_score: number | null;
        queue_id?: string | null;
        created_at: number;
      };
    }
  | { op: "call_set"; id: string; fields: CallFields; at: number }
  | { op: "call_first_offer"; id: string; at: number }
  | { op: "offer_insert"; row: { id: string; tenant_id: string; call_id: string; agent_id: string; offered_at: number; fallback: boolean } }
  | { op: "offer_resolve"; id: string; outcome: string; at: number }
  | { op: "verification_set"; id: string; fields: VerificationFields; onlyIfStatus?: string[]; at: number }
  /** An audit record; once written it is queued for the log (durable-objects/shared/outbox.ts). */
  | { op: "audit_insert"; row: AuditRow }
  | { op: "direct_call_upsert"; row: DirectCallRow }
  /** A webhook event, recorded for each subscribed endpoint; once written it is queued for delivery. */
  | { op: "webhook_event"; event: WebhookEvent };

/** A direct voice call as recorded in D1 (seed 003). */
export type DirectCallRow = {
  id: string;
  tenant_id: string;
  caller_id: string;
  callee_id: string;
  status: string;
  session_id: string | null;
  created_at: number;
  answered_at: number | null;
  ended_at: number | null;
  duration_seconds: number | null;
  end_reason: string | null;
  seen_at: number | null;
};
