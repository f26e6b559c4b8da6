// Issue 12, item 2: the CallRoom and the DirectCallDesk evicted at every step of their flows,
// each of the three ways (sockets hibernated, sockets closed, a crash). A hibernated room wakes
// with both sockets and relays the next frame; a room whose sockets were closed keeps its
// participants, status and timeline for their reconnect; a desk keeps a ringing call, answers
// it or lets its alarm turn it into a missed call; D1 and the audit queue get each call once.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson, type Json } from "../support/api.ts";
import { EVICTIONS, evict, inMemory, type Eviction } from "../support/evict.ts";
import { makeReady, openSocket, queuedCall, type TestSocket } from "../support/queue.ts";
import { newTenant, type TestTenant, type TestUser } from "../support/tenant.ts";

/** Waits for a message of `type` later than the `seen` already received. */
const nextNew = (s: TestSocket, type: string, seen: number) => s.next(type, () => s.all(type).length > seen);

/** Runs `steps`, evicting after the ones `evictAfter` names; `check` compares what must survive. */
async function runSteps<F>(
  f: F,
  steps: Array<{ name: string; run: (f: F) => Promise<void> }>,
  evictAfter: (step: number) => Eviction | null,
  eviction: (f: F, how: Eviction, step: number) => Promise<void>,
) {
  for (const [i, step] of steps.entries()) {
    await step.run(f);
    const how = evictAfter(i);
    if (how) await eviction(f, how, i);
  }
}

// ---- CallRoom: both join, signal, connect, one reconnects, the call ends -------------------

type RoomFlow = {
  t: TestTenant;
  agent: TestUser;
  customer: TestUser;
  callId: string;
  session: string;
  path: string;
  a?: TestSocket;
  b?: TestSocket;
};

const room = (f: RoomFlow) => env.CALL_ROOM.getByName(f.session);
const summary = async (f: RoomFlow) => (await room(f).summary())!;

async function startedCall(): Promise<RoomFlow> {
  const t = await newTenant({ agents: 1, customers: 1 });
  const [agent, customer] = [t.agents[0]!, t.customers[0]!];
  await makeReady(agent);
  const call = await queuedCall(t, customer);
  expect((await callJson(`/video-calls/${call.call_id}/accept`, { token: agent.token, method: "POST" })).status).toBe(200);
  const started = await callJson(`/video-calls/${call.call_id}/start`, { token: agent.token, method: "POST" });
  expect(started.status).toBe(200);
  const session = started.body.session_id as string;
  return { t, agent, customer, callId: call.call_id, session, path: `/rooms/${session}/ws` };
}

const ROOM_STEPS: Array<{ name: string; run: (f: RoomFlow) => Promise<void> }> = [
  {
    name: "the agent joins",
    async run(f) {
      f.a = await openSocket(f.path, f.agent.token);
      expect((await f.a.next("room_state")).status).toBe("waiting");
    },
  },
  {
    name: "the customer joins",
    async run(f) {
      const seen = f.a!.all("peer_joined").length;
      f.b = await openSocket(f.path, f.customer.token);
      const state = await f.b.next("room_state");
      expect(state.participants.map((p: Json) => p.connected)).toEqual([true, true]);
      expect((await nextNew(f.a!, "peer_joined", seen)).user_id).toBe(f.customer.id);
    },
  },
  {
    name: "they exchange offer, answer and ICE candidates",
    async run(f) {
      const [offers, answers, candidates] = [f.b!.all("offer").length, f.a!.all("answer").length, f.b!.all("ice_candidate").length];
      const offer = `{"type":"offer","sdp":"v=0 ${crypto.randomUUID()}","kept":{"verbatim":true}}`;
      f.a!.send(offer);
      expect(JSON.stringify(await nextNew(f.b!, "offer", offers))).toBe(JSON.stringify(JSON.parse(offer)));
      f.b!.send({ type: "answer", sdp: "v=0 answer" });
      expect(await nextNew(f.a!, "answer", answers)).toEqual({ type: "answer", sdp: "v=0 answer" });
      f.a!.send({ type: "ice_candidate", candidate: { candidate: "candidate:1 1 udp 1 10.0.0.1 5000 typ host", sdpMid: "0" } });
      expect((await nextNew(f.b!, "ice_candidate", candidates)).candidate.sdpMid).toBe("0");
    },
  },
  {
    name: "the call connects",
    async run(f) {
      f.b!.send({ type: "call_connected" });
      await expect.poll(async () => (await summary(f)).status).toBe("active");
    },
  },
  {
    name: "the customer reconnects",
    async run(f) {
      const [joined, leftBefore] = [f.a!.all("peer_joined").length, f.a!.all("peer_left").length];
      const old = f.b!;
      f.b = await openSocket(f.path, f.customer.token);
      const state = await f.b.next("room_state");
      expect(state.status).toBe("active");
      expect(state.participants.map((p: Json) => p.connected)).toEqual([true, true]);
      await nextNew(f.a!, "peer_joined", joined);
      expect((await old.closedWithin()).code).toBe(4000);
      expect(f.a!.all("peer_left").length).toBe(leftBefore);
    },
  },
  {
    name: "the call is completed (the room ends)",
    async run(f) {
      const done = await callJson(`/video-calls/${f.callId}/complete`, {
        token: f.agent.token,
        json: { call_notes: "Matches.", verification_result: "approved", reason_code: "IDENTITY_CONFIRMED" },
      });
      expect(done.status).toBe(200);
      for (const s of [f.a!, f.b!]) expect(await s.next("hangup", (m) => m.user_id === "server")).toMatchObject({ reason: "completed" });
      expect((await summary(f)).status).toBe("ended");
    },
  },
];

async function roomEviction(f: RoomFlow, how: Eviction, step: number) {
  const name = ROOM_STEPS[step]!.name;
  const before = await inMemory(room(f), (i) => structuredClone(i.room));
  const connected = (await summary(f)).connected;
  const { alarm } = await evict(() => room(f), how);
  expect(await inMemory(room(f), (i) => structuredClone(i.room)), `room rebuilt after "${name}"`).toEqual(before);
  const after = await summary(f);
  expect(after.connected).toEqual(how === "hibernate" ? connected : []);
  // Sockets opened with a token keep the room's alarm for their expiry.
  if (after.connected.length > 0) expect(alarm).not.toBeNull();
  if (how === "hibernate") return;
  // The sockets were cut: whoever was in the room comes back and finds it as it was.
  if (before.status === "ended") {
    const refused = await callJson(`${f.path}?token=${f.agent.token}`, { headers: { Upgrade: "websocket" } });
    expect(refused.status).toBe(409);
    return;
  }
  for (const side of ["a", "b"] as const) {
    if (!f[side]) continue;
    f[side] = await openSocket(f.path, side === "a" ? f.agent.token : f.customer.token);
    const state = await f[side]!.next("room_state");
    expect(state.status).toBe(before.status);
    expect(state.timeline.slice(0, before.timeline.length)).toEqual(before.timeline);
  }
}

async function roomFlow(evictAfter: (step: number) => Eviction | null) {
  const f = await startedCall();
  await runSteps(f, ROOM_STEPS, evictAfter, roomEviction);
  const { timeline } = await summary(f);
  expect(timeline.filter((e) => e.event === "connected")).toHaveLength(1);
  expect(timeline.filter((e) => e.event === "ended")).toHaveLength(1);
  // After the end only the closing sockets' departures.
  expect(timeline.slice(timeline.findIndex((e) => e.event === "ended") + 1).every((e) => e.event === "left")).toBe(true);
}

describe("a CallRoom evicted mid-call", () => {
  for (const how of EVICTIONS) {
    for (const [i, step] of ROOM_STEPS.entries()) {
      it(`keeps both participants and the call when evicted (${how}) after ${step.name}`, () => roomFlow((at) => (at === i ? how : null)));
    }
    it(`keeps both participants and the call when evicted (${how}) after every step`, () => roomFlow(() => how));
  }
});

// ---- DirectCallDesk: ring → answer → hang up; ring → ring timeout (alarm) → missed ---------

type DeskFlow = {
  t: TestTenant;
  caller: TestUser;
  callee: TestUser;
  callerEvents?: TestSocket;
  calleeEvents?: TestSocket;
  callId?: string;
};

const desk = (f: DeskFlow) => env.DIRECT_CALL_DESK.getByName(f.t.id);
const act = (user: TestUser, action: string, callId: string) =>
  callJson(`/call/${action}`, { token: user.token, json: { call_id: callId } });
const statusOf = async (viewer: TestUser, user: TestUser) =>
  (await callJson(`/status/user/${user.id}`, { token: viewer.token })).body.status;

/** What the desk shows both people: the call, their histories, the callee's missed calls, statuses. */
async function deskSeen(f: DeskFlow) {
  return {
    call: (await callJson(`/call/${f.callId}`, { token: f.caller.token })).body,
    callerHistory: (await callJson("/call/history", { token: f.caller.token })).body.items,
    calleeHistory: (await callJson("/call/history", { token: f.callee.token })).body.items,
    missed: (await callJson("/call/missed", { token: f.callee.token })).body,
    statuses: [await statusOf(f.caller, f.callee), await statusOf(f.callee, f.caller)],
  };
}

const RING = {
  name: "the caller rings",
  async run(f: DeskFlow) {
    await callJson("/status/heartbeat", { token: f.caller.token, method: "POST" });
    f.calleeEvents = await openSocket("/call/ws", f.callee.token);
    f.callerEvents = await openSocket("/call/ws", f.caller.token);
    await Promise.all([f.calleeEvents.next("connected"), f.callerEvents.next("connected")]);
    const rung = await callJson("/call/initiate", { token: f.caller.token, json: { callee_id: f.callee.id } });
    expect(rung.body.status).toBe("ringing");
    f.callId = rung.body.call_id;
    expect((await f.calleeEvents.next("incoming_call")).call.call_id).toBe(f.callId);
  },
};

const ANSWERED_STEPS = [
  RING,
  {
    name: "the callee answers",
    async run(f: DeskFlow) {
      expect((await act(f.callee, "answer", f.callId!)).body.status).toBe("answered");
      expect((await f.callerEvents!.next("call_answered")).call.call_id).toBe(f.callId);
      expect(await statusOf(f.callee, f.caller)).toBe("in_call");
    },
  },
  {
    name: "the caller hangs up",
    async run(f: DeskFlow) {
      expect((await act(f.caller, "hangup", f.callId!)).body.status).toBe("ended");
      expect((await f.calleeEvents!.next("call_ended")).call.end_reason).toBe("caller_hung_up");
    },
  },
];

const MISSED_STEPS = [
  RING,
  {
    name: "the ring time runs out (the alarm)",
    async run(f: DeskFlow) {
      // The alarm may first be the outbox's retry (a crash before the flush); it fires until the
      // ring deadline is handled.
      for (let i = 0; i < 3 && (await desk(f).get(f.callId!, f.caller.id))!.status === "ringing"; i++)
        expect(await runDurableObjectAlarm(desk(f))).toBe(true);
      expect((await f.callerEvents!.next("call_missed")).call).toMatchObject({
        call_id: f.callId,
        status: "missed",
        end_reason: "no_answer",
      });
      expect((await act(f.callee, "answer", f.callId!)).status).toBe(409);
    },
  },
];

async function deskEviction(f: DeskFlow, how: Eviction) {
  const before = await deskSeen(f);
  const { alarm } = await evict(() => desk(f), how);
  const after = await deskSeen(f);
  // The statuses of two people with their sockets cut and no heartbeat since depend on the clock:
  // compared once they reconnect.
  expect({ ...after, statuses: null }).toEqual({ ...before, statuses: null });
  if (how === "hibernate") expect(after.statuses).toEqual(before.statuses);
  // A ringing call's timeout stays armed: at its ring deadline, or earlier for the outbox's retry.
  if (before.call.status === "ringing") expect(alarm).toBeLessThanOrEqual(Date.parse(before.call.created_at) + 30_000);
  if (before.call.status === "answered") expect(alarm).not.toBeNull();
  if (how === "hibernate") return;
  f.calleeEvents = await openSocket("/call/ws", f.callee.token);
  f.callerEvents = await openSocket("/call/ws", f.caller.token);
  await f.calleeEvents.next("connected");
  // A callee who reconnects while the call rings hears it ring again.
  if (before.call.status === "ringing") expect((await f.calleeEvents.next("incoming_call")).call.call_id).toBe(f.callId);
  expect(await deskSeen(f)).toEqual(before);
}

async function deskFlow(steps: typeof ANSWERED_STEPS, evictAfter: (step: number) => Eviction | null, ending: string) {
  const t = await newTenant({ agents: 1, customers: 1 });
  const f: DeskFlow = { t, caller: t.customers[0]!, callee: t.agents[0]! };
  await runSteps(f, steps, evictAfter, deskEviction);
  // D1 and the audit queue get the call once, as it ended.
  await desk(f).flushOutbox();
  expect(await runInDurableObject(desk(f), (_i, state) => state.storage.sql.exec("SELECT 1 FROM outbox").toArray().length)).toBe(0);
  expect(await env.DB.prepare("SELECT status FROM direct_calls WHERE id = ?").bind(f.callId).first()).toEqual({ status: ending });
  const records = await env.DB.prepare("SELECT id FROM audit_records WHERE subject_id = ?").bind(f.callId).all();
  expect(records.results).toEqual([{ id: `direct_call:${f.callId}:ended` }]);
  const missed = (await callJson("/call/missed", { token: f.callee.token })).body;
  expect(missed.items.map((c: Json) => c.call_id)).toEqual(ending === "missed" ? [f.callId] : []);
}

describe("a DirectCallDesk evicted mid-call", () => {
  for (const how of EVICTIONS) {
    for (const [i, step] of ANSWERED_STEPS.entries()) {
      it(`connects and ends the call when evicted (${how}) after ${step.name}`, () =>
        deskFlow(ANSWERED_STEPS, (at) => (at === i ? how : null), "ended"));
    }
    for (const [i, step] of MISSED_STEPS.entries()) {
      it(`turns an unanswered call into a missed call when evicted (${how}) after ${step.name}`, () =>
        deskFlow(MISSED_STEPS, (at) => (at === i ? how : null), "missed"));
    }
  }
});
