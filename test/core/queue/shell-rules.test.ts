// The rules the coordinator's shell used to hold inline: what a (re)connecting socket hears,
// refusals for calls and verifications that are no longer live, reading a socket frame, socket
// tags, which loads presence must hear, and the verification's side of an enqueue.
import { describe, expect, it } from "vitest";
import { configFrom } from "../../../worker/config.ts";
import {
  accept,
  alreadyClosed,
  cancel,
  changedLoads,
  completionReplay,
  liveCallView,
  pendingList,
  readCoordinatorFrame,
  socketTag,
  staffGreeting,
  start,
  verificationClosed,
  verificationQueuedOp,
  waitingRoomGreeting,
  type FinishedCall,
} from "../../../worker/core/queue/index.ts";
import { Queue, SECOND } from "./support.ts";

const readiness = configFrom({}).readiness;
const finished = (status: string, extra: Record<string, unknown> = {}) =>
  ({ view: { status, ...extra }, result: { decision: "approved" } }) as unknown as FinishedCall;

describe("greetings", () => {
  it("lists the pending calls in queue order from a minimum priority, and the agent's own calls", () => {
    const q = new Queue();
    q.readyAgent("a");
    const low = q.enqueue(0);
    const urgent = q.enqueue(3);
    const high = q.enqueue(2);
    const list = pendingList(q.state, q.now, { limit: 10, priorityMin: 2, agentId: "a" });
    // The ready agent holds an offer for the urgent call, which is still pending until accepted.
    expect(list.pending_calls.map((c) => c.id)).toEqual([urgent.id, high.id]);
    expect(list.total_pending).toBe(2);
    expect(pendingList(q.state, q.now, { limit: 1, agentId: "a" }).pending_calls.map((c) => c.id)).toEqual([urgent.id]);
    expect(pendingList(q.state, q.now, { limit: 10, agentId: "a" }).total_pending).toBe(3);
    q.value((tx) => accept(tx, { callId: urgent.id, agentId: "a", name: "a", sessionId: "s-1" }));
    const after = pendingList(q.state, q.now, { limit: 10, agentId: "a" });
    expect(after.your_active_calls.map((c) => c.id)).toEqual([urgent.id]);
    expect(after.pending_calls.map((c) => c.id)).toEqual([high.id, low.id]);
  });

  it("greets staff with who they are and the queue; only managers get the active calls", () => {
    const q = new Queue();
    q.readyAgent("a");
    const call = q.enqueue(1);
    q.value((tx) => accept(tx, { callId: call.id, agentId: "a", name: "a", sessionId: "s-1" }));
    const [connected, state] = staffGreeting(q.state, q.now, { userId: "a", role: "agent", manager: false }, readiness);
    expect(connected).toMatchObject({ type: "connected", user_id: "a", role: "agent" });
    expect(state).toMatchObject({ type: "initial_state", pending_calls: [], agent: { agent_id: "a" } });
    expect(state && "active_calls" in state).toBe(false);
    const [, managerState] = staffGreeting(q.state, q.now, { userId: "m", role: "manager", manager: true }, readiness);
    expect(managerState).toMatchObject({ type: "initial_state", agent: null, active_calls: [{ id: call.id }] });
  });

  it("tells a customer rejoining the waiting room where the call stands, at every step", () => {
    const q = new Queue();
    const call = q.enqueue(1);
    expect(waitingRoomGreeting(q.state, q.now, call.id, null).map((m) => m.type)).toEqual(["connected", "position_update"]);
    q.readyAgent("a");
    q.value((tx) => accept(tx, { callId: call.id, agentId: "a", name: "Ada", sessionId: "s-1" }));
    expect(waitingRoomGreeting(q.state, q.now, call.id, null)).toEqual([
      expect.objectContaining({ type: "connected" }),
      { type: "call_assigned", agent_name: "a" },
    ]);
    q.value((tx) => start(tx, { callId: call.id, actor: { userId: "a", manage: false }, customer: false }));
    expect(waitingRoomGreeting(q.state, q.now, call.id, null).at(-1)).toEqual({
      type: "call_started",
      session_id: "s-1",
      room_ws_url: "/api/v1/rooms/s-1/ws",
    });
    q.value((tx) => cancel(tx, { callId: call.id, actor: { userId: "m", manage: true } }));
    expect(waitingRoomGreeting(q.state, q.now, call.id, finished("cancelled", { end_reason: "staff_cancelled" })).at(-1)).toEqual({
      type: "call_cancelled",
      reason: "staff_cancelled",
    });
    expect(waitingRoomGreeting(q.state, q.now, call.id, finished("completed")).at(-1)).toEqual({
      type: "call_completed",
      call_id: call.id,
    });
    expect(waitingRoomGreeting(q.state, q.now, "unknown", null).map((m) => m.type)).toEqual(["connected"]);
  });

  it("shows a live call with its place, and nothing for a call that is not live", () => {
    const q = new Queue();
    q.enqueue(1);
    const second = q.enqueue(1);
    expect(liveCallView(q.state, second.id, q.now)).toMatchObject({ id: second.id, position_in_queue: 2 });
    expect(liveCallView(q.state, "gone", q.now)).toBeNull();
  });
});

describe("refusals", () => {
  it("answers 409 for a call that left the queue, naming how it ended", () => {
    expect(alreadyClosed(null)).toBeNull();
    expect(alreadyClosed(finished("cancelled"))).toEqual({
      ok: false,
      error: { status: 409, code: "call_already_closed", message: "The call was cancelled.", details: { status: "cancelled" } },
    });
  });

  it("refuses a new call for a decided verification only", () => {
    for (const open of [null, "created", "pending_video_call", "needs_review"]) expect(verificationClosed(open)).toBeNull();
    for (const settled of ["approved", "rejected", "cancelled"]) {
      expect(verificationClosed(settled)).toMatchObject({
        ok: false,
        error: { status: 409, code: "verification_closed", details: { status: settled } },
      });
    }
  });

  it("replays a completion's first result, and refuses one for a call that ended otherwise", () => {
    expect(completionReplay(finished("completed"))).toEqual({
      ok: true,
      value: { call: { status: "completed" }, result: { decision: "approved" }, repeated: true },
    });
    expect(completionReplay(finished("abandoned"))).toMatchObject({ ok: false, error: { status: 409, code: "call_already_closed" } });
  });
});

describe("socket frames", () => {
  const agent = { kind: "staff" as const, canAccept: true };
  it("turns valid commands into commands, and everything else into the contract's replies", () => {
    expect(readCoordinatorFrame({ type: "accept", call_id: "c-1" }, agent)).toEqual({
      kind: "command",
      command: { type: "accept", call_id: "c-1" },
    });
    expect(readCoordinatorFrame({ type: "ping" }, agent)).toEqual({ kind: "reply", reply: { type: "pong" } });
    expect(readCoordinatorFrame(null, agent)).toMatchObject({ reply: { type: "error", code: "invalid_json" } });
    expect(readCoordinatorFrame({ type: "dance" }, agent)).toMatchObject({
      reply: { code: "unknown_message_type", request_type: "dance" },
    });
    expect(readCoordinatorFrame({ type: "accept" }, agent)).toMatchObject({ reply: { code: "invalid_message", request_type: "accept" } });
    expect(readCoordinatorFrame({ type: "accept", call_id: "c-1" }, { kind: "staff", canAccept: false })).toMatchObject({
      reply: { code: "forbidden", request_type: "accept" },
    });
    expect(readCoordinatorFrame({ type: "accept", call_id: "c-1" }, { kind: "waiting-room", canAccept: false })).toMatchObject({
      reply: { code: "unsupported_message" },
    });
    expect(readCoordinatorFrame({ type: "ping" }, { kind: "waiting-room", canAccept: false })).toEqual({
      kind: "reply",
      reply: { type: "pong" },
    });
  });

  it("addresses each target by the tag its sockets carry", () => {
    expect(socketTag({ kind: "staff" })).toBe("staff");
    expect(socketTag({ kind: "managers" })).toBe("managers");
    expect(socketTag({ kind: "user", userId: "u-1" })).toBe("user:u-1");
    expect(socketTag({ kind: "waiting-room", callId: "c-1" })).toBe("call:c-1");
  });
});

describe("what presence and D1 must hear", () => {
  it("names only agents whose status or load changed, with the whole load stamped now", () => {
    const q = new Queue();
    q.readyAgent("a");
    q.readyAgent("b");
    const before = q.state;
    const call = q.enqueue(1);
    const offered = q.state;
    // An offer is not load: nothing to tell presence yet.
    expect(changedLoads(before, offered, ["a", "b"], q.now)).toEqual([]);
    q.now += SECOND;
    const holder = offered.calls.get(call.id)!.offer!.agentId;
    q.value((tx) => accept(tx, { callId: call.id, agentId: holder, name: holder, sessionId: "s-1" }));
    expect(changedLoads(offered, q.state, ["a", "b"], q.now)).toEqual([
      [holder, { status: "online", activeCalls: 1, maxCalls: 1, at: q.now }],
    ]);
  });

  it("moves a verification to the call only from an open status", () => {
    expect(verificationQueuedOp("v-1", "c-1", 5)).toEqual({
      op: "verification_set",
      id: "v-1",
      at: 5,
      fields: { status: "pending_video_call", call_id: "c-1" },
      onlyIfStatus: ["created", "pending_video_call", "needs_review"],
    });
  });
});
