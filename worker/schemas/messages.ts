// WebSocket messages (API.md): one discriminated union per direction, shared by the worker,
// the Durable Objects and the dashboard. Plain zod (no OpenAPI extension) so the browser
// bundle stays small.
import { AGENT_STATUSES } from "../core/agent-status.ts";
import { z } from "zod";

export const PriorityWord = z.enum(["low", "normal", "high", "urgent"]);
export const AgentStatusWord = z.enum(AGENT_STATUSES);

export const DocumentBriefView = z.object({
  id: z.string(),
  doc_type: z.string(),
  document_hash: z.string(),
  issuing_country: z.string().optional(),
});

/** What a call needs of its agent and how far that has been relaxed (issue 17); only on calls
 * with requirements or a routing queue. `unmatched`: no online agent meets them at this step. */
export const CallRouting = z.object({
  queue_id: z.string().nullable(),
  requirements: z.array(z.object({ skill: z.string(), level: z.number() })),
  relax_step: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  relaxations: z.array(z.object({ step: z.number(), at: z.string() })),
  unmatched: z.boolean().optional(),
});

/** A live (or recently finished) video call as clients see it. */
export const CallView = z.object({
  id: z.string(),
  verification_id: z.string(),
  customer_id: z.string(),
  user_name: z.string(),
  status: z.enum(["pending", "assigned", "in_progress", "completed", "cancelled", "abandoned"]),
  priority: PriorityWord,
  initial_priority: PriorityWord,
  fraud_score: z.number().nullable(),
  documents: z.array(DocumentBriefView),
  created_at: z.string(),
  wait_seconds: z.number(),
  position_in_queue: z.number().optional(),
  estimated_wait_seconds: z.number().optional(),
  offered_to: z.string().optional(),
  offer_expires_at: z.string().optional(),
  assigned_agent_id: z.string().optional(),
  assigned_agent_name: z.string().optional(),
  assigned_at: z.string().optional(),
  session_id: z.string().optional(),
  started_at: z.string().optional(),
  ended_at: z.string().optional(),
  end_reason: z.string().optional(),
  decision: z.string().optional(),
  decision_reason: z.string().optional(),
  routing: CallRouting.optional(),
});
export type CallView = z.infer<typeof CallView>;

export const AgentView = z.object({
  agent_id: z.string(),
  name: z.string(),
  status: AgentStatusWord,
  current_calls: z.number(),
  max_calls: z.number(),
  readiness_score: z.number(),
  last_heartbeat: z.string().nullable(),
  device_connected: z.boolean(),
  average_call_duration: z.number().nullable(),
  total_calls_today: z.number(),
  missed_offers_in_row: z.number(),
  /** Skill name → level; only for agents who have any. */
  skills: z.record(z.string(), z.number()).optional(),
});
export type AgentView = z.infer<typeof AgentView>;

export const QueueSummary = z.object({
  total_pending: z.number(),
  by_priority: z.object({ urgent: z.number(), high: z.number(), normal: z.number(), low: z.number() }),
  longest_wait_seconds: z.number(),
});
export type QueueSummary = z.infer<typeof QueueSummary>;

const message = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.object({ type: z.literal(type), ...shape });

// The pending-list messages, and the queue totals: what an agent's digest can hold.
const NewCall = message("new_call", { call: CallView });
const CallTaken = message("call_taken", { call_id: z.string(), by: z.string().optional(), call: CallView.optional() });
const CallCompleted = message("call_completed", { call_id: z.string(), call: CallView.optional() });
const CallCancelled = message("call_cancelled", { call_id: z.string(), reason: z.string() });
const CallUpdated = message("call_updated", { call: CallView });
const QueueUpdate = message("queue_update", QueueSummary.shape);

/** One frame of an agent's coalesced stream holding several of these messages, in order (a
 * digest with one message is sent as that message). */
export const DigestedMessage = z.discriminatedUnion("type", [NewCall, CallUpdated, CallTaken, CallCompleted, CallCancelled, QueueUpdate]);
export type DigestedMessage = z.infer<typeof DigestedMessage>;

/** Server → agent and manager sockets (`/api/v1/video-calls/ws`). */
export const StaffServerMessage = z.discriminatedUnion("type", [
  message("connected", { user_id: z.string(), role: z.string(), server_time: z.string() }),
  message("initial_state", {
    pending_calls: z.array(CallView),
    your_active_calls: z.array(CallView),
    agent: AgentView.nullable(),
    queue: QueueSummary,
    /** Managers: every call with an agent right now. */
    active_calls: z.array(CallView).optional(),
  }),
  NewCall,
  message("call_offered", {
    call_id: z.string(),
    priority: PriorityWord,
    user_name: z.string(),
    expires_at: z.string(),
    offered_at: z.string(),
    offer_timeout_seconds: z.number(),
    call: CallView,
  }),
  message("offer_revoked", { call_id: z.string(), reason: z.string() }),
  message("call_assigned", { call: CallView }),
  CallTaken,
  message("call_started", { call: CallView }),
  CallCompleted,
  CallCancelled,
  CallUpdated,
  QueueUpdate,
  message("queue_digest", { messages: z.array(DigestedMessage) }),
  message("agent_status_changed", { agent: AgentView }),
  message("heartbeat_ack", { readiness_score: z.number(), next_heartbeat_seconds: z.number(), status: z.string() }),
  message("pong", {}),
  message("error", { code: z.string(), message: z.string(), request_type: z.string().optional() }),
]);
export type StaffServerMessage = z.infer<typeof StaffServerMessage>;

/** Agent and manager sockets → server. */
export const StaffClientMessage = z.discriminatedUnion("type", [
  message("ping", {}),
  message("heartbeat", { device_connected: z.boolean() }),
  message("status_update", { status: AgentStatusWord }),
  message("accept", { call_id: z.string().min(1) }),
  message("reject", { call_id: z.string().min(1) }),
]);
export type StaffClientMessage = z.infer<typeof StaffClientMessage>;

/** Server → the customer's waiting room (`/api/v1/video-calls/{id}/ws`). */
export const WaitingRoomMessage = z.discriminatedUnion("type", [
  message("connected", { call_id: z.string(), server_time: z.string() }),
  message("position_update", { position_in_queue: z.number(), estimated_wait_seconds: z.number(), priority: PriorityWord }),
  message("call_assigned", { agent_name: z.string() }),
  message("call_started", { session_id: z.string(), room_ws_url: z.string() }),
  message("call_cancelled", { reason: z.string() }),
  message("call_completed", { call_id: z.string(), decision: z.string().optional(), reason_code: z.string().optional() }),
  message("pong", {}),
  message("error", { code: z.string(), message: z.string() }),
]);
export type WaitingRoomMessage = z.infer<typeof WaitingRoomMessage>;

/** A participant of a call room: the two people of one session. */
export const RoomParticipant = z.object({
  user_id: z.string(),
  role: z.enum(["agent", "customer", "caller", "callee"]),
  name: z.string(),
  connected: z.boolean(),
});
export type RoomParticipant = z.infer<typeof RoomParticipant>;

export const RoomTimelineEntry = z.object({
  at: z.string(),
  event: z.enum(["joined", "left", "connected", "hangup", "ended"]),
  user_id: z.string().optional(),
});

/**
 * Client → call room (`/api/v1/rooms/{session_id}/ws`). `offer`, `answer` and `ice_candidate`
 * are relayed verbatim (the exact frame, at most 64 KiB) to the other participant; one sent
 * before the other participant joined is answered `peer_not_connected` (offer again on
 * `peer_joined`).
 */
export const RoomClientMessage = z.discriminatedUnion("type", [
  // Relayed as sent: whatever shape the browsers' signalling uses besides its type.
  z.looseObject({ type: z.literal("offer") }),
  z.looseObject({ type: z.literal("answer") }),
  z.looseObject({ type: z.literal("ice_candidate") }),
  message("call_connected", {}),
  message("hangup", { reason: z.string().max(200).optional() }),
  message("ping", {}),
]);
export type RoomClientMessage = z.infer<typeof RoomClientMessage>;

/** Call room → client. Relayed `offer` / `answer` / `ice_candidate` frames arrive as sent. */
export const RoomServerMessage = z.discriminatedUnion("type", [
  message("room_state", {
    session_id: z.string(),
    you: RoomParticipant,
    participants: z.array(RoomParticipant),
    status: z.enum(["waiting", "active", "ended"]),
    timeline: z.array(RoomTimelineEntry),
    ice_servers: z.array(
      z.object({ urls: z.union([z.string(), z.array(z.string())]), username: z.string().optional(), credential: z.string().optional() }),
    ),
  }),
  message("peer_joined", { user_id: z.string(), role: z.string(), name: z.string() }),
  message("peer_left", { user_id: z.string(), role: z.string() }),
  message("offer", { sdp: z.string() }),
  message("answer", { sdp: z.string() }),
  message("ice_candidate", { candidate: z.unknown() }),
  message("hangup", { user_id: z.string(), reason: z.string().optional() }),
  message("pong", {}),
  message("error", { code: z.string(), message: z.string() }),
]);
export type RoomServerMessage = z.infer<typeof RoomServerMessage>;

/** A direct call as its two participants see it. */
export const DirectCallView = z.object({
  call_id: z.string(),
  caller_id: z.string(),
  caller_name: z.string(),
  callee_id: z.string(),
  callee_name: z.string(),
  status: z.enum(["ringing", "answered", "ended", "missed", "rejected", "busy", "offline"]),
  session_id: z.string().nullable(),
  created_at: z.string(),
  answered_at: z.string().nullable(),
  ended_at: z.string().nullable(),
  duration_seconds: z.number().nullable(),
  end_reason: z.string().nullable(),
  seen: z.boolean(),
});
export type DirectCallView = z.infer<typeof DirectCallView>;

/** Server → a user's direct-call socket (`/api/v1/call/ws`). */
export const DirectCallEvent = z.discriminatedUnion("type", [
  message("connected", { user_id: z.string(), status: z.string() }),
  message("incoming_call", { call: DirectCallView }),
  message("call_answered", { call: DirectCallView }),
  message("call_rejected", { call: DirectCallView }),
  message("call_missed", { call: DirectCallView }),
  message("call_ended", { call: DirectCallView }),
  message("signal", { call_id: z.string(), signal: z.record(z.string(), z.unknown()) }),
  message("pong", {}),
  message("error", { code: z.string(), message: z.string() }),
]);
export type DirectCallEvent = z.infer<typeof DirectCallEvent>;

export const DashboardMetrics = z.object({
  total_calls: z.number(),
  active_calls: z.number(),
  completed_calls: z.number(),
  average_duration: z.number(),
  success_rate: z.number(),
  outcome_counts: z.object({
    approved: z.number(),
    rejected: z.number(),
    needs_review: z.number(),
    cancelled: z.number(),
    abandoned: z.number(),
  }),
  period_hours: z.number(),
  average_wait_seconds: z.number(),
  service_level: z.number(),
  service_level_seconds: z.number(),
  abandonment_rate: z.number(),
  offers: z.object({ made: z.number(), accepted: z.number(), rejected: z.number(), expired: z.number(), released: z.number() }),
  longest_current_wait_seconds: z.number(),
  waiting_by_priority: z.object({ urgent: z.number(), high: z.number(), normal: z.number(), low: z.number() }),
  agents: z.object({ online: z.number(), available: z.number(), in_call: z.number() }),
});
export type DashboardMetrics = z.infer<typeof DashboardMetrics>;

export const DASHBOARD_STREAMS = ["metrics", "calls", "agents"] as const;
export const DashboardStream = z.enum(DASHBOARD_STREAMS, { error: "stream must be metrics, calls or agents" });
export type DashboardStream = z.infer<typeof DashboardStream>;

/** Server → dashboard sockets (`/api/v1/dashboard/ws`). */
export const DashboardServerMessage = z.discriminatedUnion("type", [
  message("connected", { user_id: z.string(), streams: z.array(DashboardStream), server_time: z.string() }),
  message("initial_state", {
    active_calls: z.array(CallView),
    metrics: DashboardMetrics,
    recent_calls: z.array(CallView),
    outcome_distribution: DashboardMetrics.shape.outcome_counts,
    queue: QueueSummary,
    agents: z.array(AgentView),
    timestamp: z.string(),
  }),
  message("call_event", { event: z.enum(["call_started", "call_ended", "call_updated"]), call: CallView, timestamp: z.string() }),
  message("metrics_update", { metrics: DashboardMetrics, timestamp: z.string() }),
  message("active_calls_update", { active_calls: z.array(CallView), timestamp: z.string() }),
  message("agents_update", { agents: z.array(AgentView), timestamp: z.string() }),
  message("subscribed", { streams: z.array(DashboardStream) }),
  message("pong", {}),
  message("error", { code: z.string(), message: z.string() }),
]);
export type DashboardServerMessage = z.infer<typeof DashboardServerMessage>;

/** Dashboard sockets → server. */
export const DashboardClientMessage = z.discriminatedUnion("type", [
  message("subscribe", { stream: DashboardStream }),
  message("unsubscribe", { stream: DashboardStream }),
  message("ping", {}),
]);
