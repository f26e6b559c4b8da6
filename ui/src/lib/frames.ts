// Plain checks for the socket frames a customer's page reads (the waiting room and the call
// room), so that the customer's bundle carries no zod. The shapes are the shared zod schemas'
// of worker/schemas/messages.ts (their types are imported from there), and
// test/core/ui-frames.test.ts keeps the two in agreement. Staff pages still use zod itself.
import type { RoomServerMessage, WaitingRoomMessage } from "../../../worker/schemas/messages.ts";

/** What `openLiveSocket` needs of a schema. */
export type FrameCheck<T> = { safeParse(data: unknown): { success: true; data: T } | { success: false } };

type Field = "string" | "number" | "string?" | "array" | "unknown" | readonly string[] | ((value: unknown) => boolean);
type Shapes = Record<string, Record<string, Field>>;

const PRIORITY = ["low", "normal", "high", "urgent"] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const isParticipant = (v: unknown) =>
  isRecord(v) &&
  typeof v.user_id === "string" &&
  typeof v.name === "string" &&
  typeof v.connected === "boolean" &&
  ["agent", "customer", "caller", "callee"].includes(v.role as string);
const isIceServer = (v: unknown) =>
  isRecord(v) && (typeof v.urls === "string" || (Array.isArray(v.urls) && v.urls.every((u) => typeof u === "string")));
const arrayOf = (item: (v: unknown) => boolean) => (v: unknown) => Array.isArray(v) && v.every(item);

function fits(value: unknown, field: Field): boolean {
  if (typeof field === "function") return field(value);
  if (Array.isArray(field)) return typeof value === "string" && field.includes(value);
  switch (field) {
    case "string":
      return typeof value === "string";
    case "string?":
      return value === undefined || typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "array":
      return Array.isArray(value);
    default:
      return true;
  }
}

function frameCheck<T>(shapes: Shapes): FrameCheck<T> {
  return {
    safeParse(data) {
      if (!isRecord(data) || typeof data.type !== "string" || !Object.hasOwn(shapes, data.type)) return { success: false };
      const shape = shapes[data.type]!;
      for (const [key, field] of Object.entries(shape)) if (!fits(data[key], field)) return { success: false };
      return { success: true, data: data as T };
    },
  };
}

/** Server → the customer's waiting room (`/api/v1/video-calls/{id}/ws`). */
export const waitingRoomFrame = frameCheck<WaitingRoomMessage>({
  connected: { call_id: "string", server_time: "string" },
  position_update: { position_in_queue: "number", estimated_wait_seconds: "number", priority: PRIORITY },
  call_assigned: { agent_name: "string" },
  call_started: { session_id: "string", room_ws_url: "string" },
  call_cancelled: { reason: "string" },
  call_completed: { call_id: "string", decision: "string?", reason_code: "string?" },
  pong: {},
  error: { code: "string", message: "string" },
});

/** Call room → client (`/api/v1/rooms/{session_id}/ws`). */
export const roomServerFrame = frameCheck<RoomServerMessage>({
  room_state: {
    session_id: "string",
    you: isParticipant,
    participants: arrayOf(isParticipant),
    status: ["waiting", "active", "ended"],
    timeline: "array",
    ice_servers: arrayOf(isIceServer),
  },
  peer_joined: { user_id: "string", role: "string", name: "string" },
  peer_left: { user_id: "string", role: "string" },
  offer: { sdp: "string" },
  answer: { sdp: "string" },
  ice_candidate: { candidate: "unknown" },
  hangup: { user_id: "string", reason: "string?" },
  pong: {},
  error: { code: "string", message: "string" },
});
