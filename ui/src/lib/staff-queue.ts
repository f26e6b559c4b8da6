// What the staff socket tells a desk or a manager, folded into one state. Pure: a message in,
// the next state out. `initial_state` replaces everything, so a reconnect resynchronises.
import type { AgentView, CallView, QueueSummary, StaffServerMessage } from "../../../worker/schemas/messages.ts";
import { byQueueOrder } from "./format.ts";

type OfferMessage = Extract<StaffServerMessage, { type: "call_offered" }>;

export type Offer = Pick<OfferMessage, "call_id" | "priority" | "user_name" | "expires_at" | "call"> & {
  /** When this page learnt of the offer (its clock), to draw the countdown bar. */
  seen_at: number;
};

export type StaffQueue = {
  /** Has `initial_state` arrived since the socket (re)connected? */
  synced: boolean;
  pending: CallView[];
  /** This user's assigned and in-progress calls. */
  active: CallView[];
  agent: AgentView | null;
  summary: QueueSummary | null;
  offer: Offer | null;
  /** Server clock minus this browser's clock, from `connected`, for countdowns. */
  serverOffsetMs: number;
  /** The latest thing worth announcing to a screen reader. */
  announcement: string;
};

export const emptyStaffQueue: StaffQueue = {
  synced: false,
  pending: [],
  active: [],
  agent: null,
  summary: null,
  offer: null,
  serverOffsetMs: 0,
  announcement: "",
};

const without = (calls: CallView[], id: string) => calls.filter((c) => c.id !== id);
const upsert = (calls: CallView[], call: CallView) => [...without(calls, call.id), call];
const pendingWith = (calls: CallView[], call: CallView) => upsert(calls, call).sort(byQueueOrder);

/** The state after `message`, for the user `me`. */
export function applyStaffMessage(state: StaffQueue, message: StaffServerMessage, me: string, receivedAt = Date.now()): StaffQueue {
  switch (message.type) {
    case "connected":
      return { ...state, serverOffsetMs: Date.parse(message.server_time) - receivedAt };
    case "initial_state": {
      const offered = message.pending_calls.find((c) => c.offered_to === me && c.offer_expires_at);
      return {
        ...state,
        synced: true,
        pending: [...message.pending_calls].sort(byQueueOrder),
        active: message.your_active_calls,
        agent: message.agent,
        summary: message.queue,
        offer: offered
          ? {
              call_id: offered.id,
              priority: offered.priority,
              user_name: offered.user_name,
              expires_at: offered.offer_expires_at!,
              call: offered,
              seen_at: receivedAt,
            }
          : null,
      };
    }
    case "new_call":
      return {
        ...state,
        pending: pendingWith(state.pending, message.call),
        announcement: `New ${message.call.priority} priority call: ${message.call.user_name}.`,
      };
    case "call_updated": {
      const { call } = message;
      if (call.status === "pending") return { ...state, pending: pendingWith(state.pending, call) };
      return state.active.some((c) => c.id === call.id) ? { ...state, active: upsert(state.active, call) } : state;
    }
    case "call_offered":
      return {
        ...state,
        offer: {
          call_id: message.call_id,
          priority: message.priority,
          user_name: message.user_name,
          expires_at: message.expires_at,
          call: message.call,
          seen_at: receivedAt,
        },
        pending: pendingWith(state.pending, message.call),
        announcement: `Call offered to you: ${message.user_name}, ${message.priority} priority. Press A to accept or R to reject.`,
      };
    case "offer_revoked":
      return state.offer?.call_id === message.call_id
        ? { ...state, offer: null, announcement: message.reason === "expired" ? "The offer expired." : "The offer was withdrawn." }
        : state;
    case "call_assigned":
      // Sent only to the agent who now has the call.
      return {
        ...state,
        active: upsert(state.active, message.call),
        pending: without(state.pending, message.call.id),
        offer: state.offer?.call_id === message.call.id ? null : state.offer,
        announcement: `${message.call.user_name} is now your call.`,
      };
    case "call_taken":
      return {
        ...state,
        pending: without(state.pending, message.call_id),
        offer: state.offer?.call_id === message.call_id && message.by !== me ? null : state.offer,
      };
    case "call_started":
      return message.call.assigned_agent_id === me ? { ...state, active: upsert(state.active, message.call) } : state;
    case "call_completed":
    case "call_cancelled":
      return {
        ...state,
        pending: without(state.pending, message.call_id),
        active: without(state.active, message.call_id),
        offer: state.offer?.call_id === message.call_id ? null : state.offer,
        announcement: state.active.some((c) => c.id === message.call_id)
          ? `Call ${message.type === "call_completed" ? "completed" : "cancelled"}.`
          : state.announcement,
      };
    case "queue_digest":
      // An agent's coalesced stream: several of the messages above in one frame, in order.
      return message.messages.reduce((next, m) => applyStaffMessage(next, m, me, receivedAt), state);
    case "queue_update":
      return {
        ...state,
        summary: {
          total_pending: message.total_pending,
          by_priority: message.by_priority,
          longest_wait_seconds: message.longest_wait_seconds,
        },
      };
    case "agent_status_changed":
      return message.agent.agent_id === me ? { ...state, agent: message.agent } : state;
    // Answers to commands sent on the socket; these pages send their commands over HTTP.
    case "heartbeat_ack":
    case "error":
    case "pong":
      return state;
  }
}
