// The customer's plain socket-frame checks (ui/src/lib/frames.ts, which keep zod out of the
// customer's bundle) accept and refuse exactly what the shared zod schemas do.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RoomServerMessage, WaitingRoomMessage } from "../../worker/schemas/messages.ts";
import { roomServerFrame, waitingRoomFrame } from "../../ui/src/lib/frames.ts";

const participant = { user_id: "u1", role: "customer", name: "Ann", connected: true };

const WAITING = [
  { type: "connected", call_id: "c", server_time: "2026-01-01T00:00:00Z" },
  { type: "position_update", position_in_queue: 2, estimated_wait_seconds: 60, priority: "urgent" },
  { type: "position_update", position_in_queue: 2, estimated_wait_seconds: 60, priority: "very" },
  { type: "position_update", position_in_queue: "2", estimated_wait_seconds: 60, priority: "low" },
  { type: "call_assigned", agent_name: "Bo" },
  { type: "call_assigned" },
  { type: "call_started", session_id: "s", room_ws_url: "/api/v1/rooms/s/ws" },
  { type: "call_cancelled", reason: "x" },
  { type: "call_completed", call_id: "c" },
  { type: "call_completed", call_id: "c", decision: "approved", reason_code: "ok" },
  { type: "call_completed", call_id: "c", decision: 3 },
  { type: "pong" },
  { type: "error", code: "x", message: "y" },
  { type: "error", code: "x" },
  { type: "unknown" },
  { type: 1 },
  null,
  [],
  "pong",
];

const ROOM = [
  {
    type: "room_state",
    session_id: "s",
    you: participant,
    participants: [participant, { ...participant, user_id: "u2", role: "agent" }],
    status: "active",
    timeline: [],
    ice_servers: [{ urls: "stun:x" }, { urls: ["turn:a", "turn:b"], username: "u", credential: "c" }],
  },
  {
    type: "room_state",
    session_id: "s",
    you: participant,
    participants: [{ ...participant, role: "boss" }],
    status: "active",
    timeline: [],
    ice_servers: [],
  },
  { type: "room_state", session_id: "s", you: participant, participants: [], status: "paused", timeline: [], ice_servers: [] },
  { type: "room_state", session_id: "s", you: participant, participants: [], status: "ended", timeline: [], ice_servers: [{ urls: 1 }] },
  { type: "peer_joined", user_id: "u", role: "agent", name: "Bo" },
  { type: "peer_left", user_id: "u", role: "agent" },
  { type: "offer", sdp: "v=0" },
  { type: "offer" },
  { type: "answer", sdp: "v=0" },
  { type: "ice_candidate", candidate: { candidate: "a" } },
  { type: "hangup", user_id: "u" },
  { type: "hangup", user_id: "u", reason: 5 },
  { type: "pong" },
  { type: "error", code: "x", message: "y" },
  { type: "nope" },
];

describe("plain frame checks agree with the zod schemas", () => {
  it("on the waiting room's frames", () => {
    for (const frame of WAITING)
      expect(waitingRoomFrame.safeParse(frame).success, JSON.stringify(frame)).toBe(WaitingRoomMessage.safeParse(frame).success);
  });

  it("on the call room's frames", () => {
    for (const frame of ROOM)
      expect(roomServerFrame.safeParse(frame).success, JSON.stringify(frame)).toBe(RoomServerMessage.safeParse(frame).success);
  });

  it("on arbitrary JSON values with a known type", () => {
    const types = ["connected", "position_update", "call_assigned", "call_started", "call_completed", "pong", "error"];
    const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(undefined), fc.constantFrom("low", "urgent"));
    const frame = fc.record({
      type: fc.constantFrom(...types),
      call_id: value,
      server_time: value,
      position_in_queue: value,
      estimated_wait_seconds: value,
      priority: value,
      agent_name: value,
      session_id: value,
      room_ws_url: value,
      decision: value,
      code: value,
      message: value,
    });
    fc.assert(fc.property(frame, (f) => waitingRoomFrame.safeParse(f).success === WaitingRoomMessage.safeParse(f).success));
  });
});
