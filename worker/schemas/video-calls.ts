import { AGENT_STATUSES } from "../core/agent-status.ts";
import { z } from "@hono/zod-openapi";
import { AgentView, CallView } from "./messages.ts";
import { Limit, Priority } from "./common.ts";

export const CallViewSchema = CallView.openapi("VideoCall");
export const AgentViewSchema = AgentView.openapi("AgentAvailability");

export const QueueRequest = z
  .object({
    verification_id: z.string("verification_id is required").min(1, "verification_id is required").max(64),
    priority: Priority.optional(),
  })
  .openapi("QueueRequest");

export const QueueResponse = z
  .object({
    call_id: z.string(),
    status: z.string(),
    priority: Priority,
    position_in_queue: z.number().int(),
    estimated_wait_seconds: z.number().int(),
  })
  .openapi("QueueResponse");

export const PendingQuery = z.object({ limit: Limit(50, 100), priority_min: Priority.optional() });

export const PendingResponse = z
  .object({ pending_calls: z.array(CallViewSchema), total_pending: z.number().int(), your_active_calls: z.array(CallViewSchema) })
  .openapi("PendingCalls");

export const AssignRequest = z.object({ agent_id: z.string().min(1).max(64).optional() }).openapi("AssignRequest");
export const AssignResponse = z
  .object({ assigned_agent_id: z.string(), session_id: z.string(), call: CallViewSchema })
  .openapi("Assignment");

export const IceServer = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export const StartResponse = z
  .object({ session_id: z.string(), room_ws_url: z.string(), ice_servers: z.array(IceServer), call: CallViewSchema })
  .openapi("CallStart");
/** Accepting gives the session; the room and ICE servers come with `start`. */
export const AcceptResponse = StartResponse.omit({ ice_servers: true, room_ws_url: true });

export const AgentStatusRequest = z
  .object({
    status: z.enum(AGENT_STATUSES, { error: "status must be online, offline, busy or away" }),
    max_concurrent_calls: z
      .number()
      .int()
      .min(1, "max_concurrent_calls must be 1 to 10")
      .max(10, "max_concurrent_calls must be 1 to 10")
      .optional(),
  })
  .openapi("AgentStatusRequest");

export const AvailabilityResponse = z.object({ agents: z.array(AgentViewSchema) }).openapi("AgentAvailabilityList");

export const HeartbeatRequest = z
  .object({
    device_connected: z.boolean({ error: "device_connected must be true or false" }),
    current_status: z.enum(AGENT_STATUSES).optional(),
  })
  .openapi("HeartbeatRequest");

export const HeartbeatResponse = z
  .object({ status: z.string(), readiness_score: z.number(), next_heartbeat_seconds: z.number() })
  .openapi("HeartbeatResponse");

export const HeartbeatStats = z
  .object({
    heartbeat_interval_seconds: z.number(),
    offline_after_seconds: z.number(),
    features: z.record(z.string(), z.boolean()),
    agents_total: z.number(),
    agents_online: z.number(),
    fresh_heartbeats: z.number(),
    devices_connected: z.number(),
    ready_agents: z.number(),
    fallback_offers: z.number(),
    agents: z.array(
      z.object({
        agent_id: z.string(),
        name: z.string(),
        status: z.string(),
        last_heartbeat: z.string().nullable(),
        heartbeat_age_seconds: z.number().nullable(),
        heartbeat_fresh: z.boolean(),
        device_connected: z.boolean(),
        readiness_score: z.number(),
        beats_today: z.number(),
      }),
    ),
  })
  .openapi("HeartbeatStats");

export const SettingsRequest = z
  .object({
    assignment_strategy: z.enum(["score", "longest-idle", "fewest-calls"]).optional(),
    recording_enabled: z.boolean().optional(),
  })
  .refine((s) => s.assignment_strategy !== undefined || s.recording_enabled !== undefined, {
    message: "give assignment_strategy or recording_enabled",
    path: ["assignment_strategy"],
  })
  .openapi("QueueSettings");

export const TenantSettings = z
  .object({ assignment_strategy: z.enum(["score", "longest-idle", "fewest-calls"]), recording_enabled: z.boolean() })
  .openapi("TenantSettings");

export const DECISIONS = ["approved", "rejected", "needs_review"] as const;
export type Decision = (typeof DECISIONS)[number];
export const CompleteRequest = z
  .object({
    call_notes: z.string("call_notes is required").max(20_000, "call_notes must be at most 20,000 characters"),
    verification_result: z.enum(DECISIONS, { error: "verification_result must be approved, rejected or needs_review" }),
    reason_code: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]{1,63}$/, "reason_code must be an upper-case code like DOC_EXPIRED")
      .optional()
      .openapi({ example: "DOC_EXPIRED", description: "Why, in the spirit of Veriff/IDnow result codes" }),
    duration_seconds: z.number().int().min(0).max(86_400).optional(),
  })
  .openapi("CompleteCall");

export const CallSummary = z
  .object({
    call_id: z.string(),
    verification_id: z.string(),
    agent_id: z.string().nullable(),
    customer_id: z.string(),
    /** Who recorded the decision: always the call's own agent. */
    decided_by: z.string(),
    decision: z.enum(DECISIONS),
    reason_code: z.string().nullable(),
    duration_seconds: z.number().nullable(),
    /** HMAC-SHA256 of the notes under a per-call key kept with the notes (not in the leaf). */
    notes_hmac: z.string(),
    recording_sha256: z.string().nullable(),
    completed_at: z.string(),
    audit_record_id: z.string(),
  })
  .openapi("CallSummary");

export const CompleteResponse = z
  .object({ call_summary: CallSummary, audit: z.object({ record_id: z.string(), status: z.enum(["queued", "logged"]) }) })
  .openapi("CallCompletion");

export const OverrideRequest = z
  .object({
    verification_result: z.enum(DECISIONS),
    reason: z.string().trim().min(10, "reason must say why, in at least 10 characters").max(2000),
    reason_code: CompleteRequest.shape.reason_code,
    /** The decision the manager saw; when given and no longer current, 409 instead of overwriting a change unseen. */
    expected_decision: z.enum(DECISIONS).optional(),
  })
  .openapi("OverrideDecision");

export const OverrideResponse = z
  .object({
    override_id: z.string(),
    call_id: z.string(),
    verification_id: z.string(),
    previous_decision: z.string(),
    decision: z.enum(DECISIONS),
    reason_code: z.string().nullable(),
    decided_by: z.string(),
    decided_at: z.string(),
    audit_record_id: z.string(),
    audit: z.object({ record_id: z.string(), status: z.enum(["queued", "logged"]) }),
  })
  .openapi("DecisionOverride");

export const RecordingResponse = z
  .object({ recording_id: z.string(), sha256: z.string(), size: z.number().int(), content_type: z.string() })
  .openapi("Recording");

export const HistoryQuery = z.object({ limit: Limit(20, 100), cursor: z.string().max(64).optional() });
export const CallHistoryPage = z.object({ items: z.array(CallViewSchema), next_cursor: z.string().nullable() });
