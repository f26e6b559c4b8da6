// Issue 12, item 2: the QueueCoordinator and AgentPresence evicted at every step of their main
// flow, each of the three ways (sockets hibernated, sockets closed, a crash). After each eviction
// the new instance rebuilds exactly the state the old one held, the API shows the same queue, a
// hibernated socket still hears the next step, a reconnecting one is greeted with where things
// stand, and the alarms still fire; at the end D1 holds every call, offer and audit record once.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson, type Json } from "../support/api.ts";
import { EVICTIONS, evict, inMemory, type Eviction } from "../support/evict.ts";
import { coordinator, makeReady, openSocket, presence, queuedCall, type TestSocket } from "../support/queue.ts";
import { newTenant, type TestTenant, type TestUser } from "../support/tenant.ts";

const pick = (o: Json, keys: string[]) => Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
const CALL_FIELDS = ["id", "status", "priority", "position_in_queue", "offered_to", "offer_expires_at", "assigned_agent_id"];
const VIEW_FIELDS = [...CALL_FIELDS, "session_id", "created_at", "assigned_at", "started_at", "ended_at", "decision", "end_reason"];
const AGENT_FIELDS = ["agent_id", "status", "current_calls", "max_calls", "missed_offers_in_row", "total_calls_today", "device_connected"];

/** What the API shows of a tenant's queue, without the fields that move with the clock. */
async function queueSeen(t: TestTenant, callIds: string[]) {
  const token = t.manager.token;
  const pending = (await callJson("/video-calls/pending", { token })).body.pending_calls.map((c: Json) => pick(c, CALL_FIELDS));
  const calls = [];
  for (const id of callIds) calls.push(pick((await callJson(`/video-calls/${id}`, { token })).body, VIEW_FIELDS));
  const agents = (await callJson("/video-calls/agents/availability", { token })).body.agents
    .filter((a: Json) => t.agents.some((agent) => agent.id === a.agent_id))
    .map((a: Json) => pick(a, AGENT_FIELDS));
  return { pending, calls, agents };
}

/** The coordinator's whole in-memory state, in an order that does not depend on load order. */
const queueState = (t: TestTenant) =>
  inMemory(coordinator(t), (i) =>
    structuredClone({
      calls: [...i.state.calls.values()].sort((a: Json, b: Json) => a.id.localeCompare(b.id)),
      agents: [...i.state.agents.values()].sort((a: Json, b: Json) => a.id.localeCompare(b.id)),
      seq: i.state.seq,
      counters: i.state.counters,
    }),
  );

const outboxSize = (stub: DurableObjectStub) =>
  runInDurableObject(stub, (_i, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox").one().n);

// ---- the coordinator: enqueue → offer → accept → start → complete ------------------------

type QueueFlow = {
  t: TestTenant;
  agent: TestUser;
  staff: TestSocket;
  waitingRoom?: TestSocket;
  /** The call the flow takes through to completion, and one that waits behind it. */
  callId?: string;
  waitingId?: string;
};

const post = (f: QueueFlow, action: string, json?: Json) =>
  callJson(`/video-calls/${f.callId}/${action}`, { token: f.agent.token, ...(json ? { json } : { method: "POST" }) });

const QUEUE_STEPS: Array<{ name: string; run: (f: QueueFlow) => Promise<void> }> = [
  {
    name: "enqueue (offered, another call waiting)",
    async run(f) {
      f.callId = (await queuedCall(f.t, f.t.customers[0]!, "high")).call_id;
      f.waitingId = (await queuedCall(f.t, f.t.customers[1]!, "low")).call_id;
      expect((await f.staff.next("call_offered", (m) => m.call_id === f.callId)).call.offered_to).toBe(f.agent.id);
      f.waitingRoom = await openSocket(`/video-calls/${f.callId}/ws`, f.t.customers[0]!.token);
      expect((await f.waitingRoom.next("position_update")).position_in_queue).toBe(1);
    },
  },
  {
    name: "accept (over the staff socket: a hibernated one wakes the new instance)",
    async run(f) {
      f.staff.send({ type: "accept", call_id: f.callId });
      expect((await f.staff.next("call_assigned", (m) => m.call.id === f.callId)).call.assigned_agent_id).toBe(f.agent.id);
      expect((await f.waitingRoom!.next("call_assigned")).agent_name).toBe(f.agent.name);
    },
  },
  {
    name: "start",
    async run(f) {
      const started = await post(f, "start");
      expect(started.status).toBe(200);
      expect((await f.waitingRoom!.next("call_started")).session_id).toBe(started.body.session_id);
    },
  },
  {
    name: "complete (the free agent is offered the waiting call)",
    async run(f) {
      const done = await post(f, "complete", {
        call_notes: "Passport matches.",
        verification_result: "approved",
        reason_code: "IDENTITY_CONFIRMED",
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect((await f.waitingRoom!.next("call_completed")).decision).toBe("approved");
      await f.staff.next("call_offered", (m) => m.call_id === f.waitingId);
    },
  },
];

/** After an eviction that closed the sockets, the agent and the customer connect again; their
 * greetings must say what the API says. */
async function reconnect(f: QueueFlow) {
  f.staff = await openSocket("/video-calls/ws", f.agent.token);
  const greeting = await f.staff.next("initial_state");
  const seen = await queueSeen(f.t, []);
  expect(greeting.pending_calls.map((c: Json) => pick(c, CALL_FIELDS))).toEqual(seen.pending);
  if (!f.callId) return;
  const view = (await callJson(`/video-calls/${f.callId}`, { token: f.t.manager.token })).body;
  const active = ["assigned", "in_progress"].includes(view.status);
  expect(greeting.your_active_calls.map((c: Json) => c.id)).toEqual(active ? [f.callId] : []);
  f.waitingRoom = await openSocket(`/video-calls/${f.callId}/ws`, f.t.customers[0]!.token);
  const expected = { pending: "position_update", assigned: "call_assigned", in_progress: "call_started", completed: "call_completed" }[
    view.status as string
  ]!;
  await f.waitingRoom.next(expected);
}

async function queueFlow(evictAfter: (step: number) => Eviction | null) {
  const t = await newTenant({ agents: 1, customers: 2 });
  const agent = t.agents[0]!;
  await makeReady(agent);
  const staff = await openSocket("/video-calls/ws", agent.token);
  await staff.next("initial_state");
  const f: QueueFlow = { t, agent, staff };
  for (const [i, step] of QUEUE_STEPS.entries()) {
    await step.run(f);
    const how = evictAfter(i);
    if (!how) continue;
    const ids = [f.callId!, f.waitingId!];
    const [seenBefore, stateBefore] = [await queueSeen(t, ids), await queueState(t)];
    const { alarm } = await evict(() => coordinator(t), how);
    expect(await queueState(t), `state rebuilt after "${step.name}"`).toEqual(stateBefore);
    expect(await queueSeen(t, ids), `queue seen after "${step.name}"`).toEqual(seenBefore);
    // Whatever the step an alarm stays set (the waiting call ages), never later than an open offer's expiry.
    expect(alarm).not.toBeNull();
    for (const c of seenBefore.calls) if (c.offer_expires_at) expect(alarm).toBeLessThanOrEqual(Date.parse(c.offer_expires_at));
    if (how !== "hibernate") await reconnect(f);
  }
  // Nothing lost, nothing twice: D1 has the completed call, its one audit record, every offer.
  await coordinator(t).flushOutbox();
  expect(await outboxSize(coordinator(t))).toBe(0);
  const row = await env.DB.prepare("SELECT status, decision, agent_id FROM video_calls WHERE id = ?").bind(f.callId).first();
  expect(row).toEqual({ status: "completed", decision: "approved", agent_id: agent.id });
  const audit = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_records WHERE subject_id = ?").bind(f.callId).first<{ n: number }>();
  expect(audit!.n).toBe(1);
  const offers = await env.DB.prepare("SELECT call_id, agent_id, outcome FROM call_offers WHERE tenant_id = ? ORDER BY offered_at")
    .bind(t.id)
    .all();
  expect(offers.results).toEqual([
    { call_id: f.callId, agent_id: agent.id, outcome: "accepted" },
    { call_id: f.waitingId, agent_id: agent.id, outcome: null },
  ]);
  const seen = await queueSeen(t, [f.waitingId!]);
  expect(seen.calls[0]).toMatchObject({ status: "pending", offered_to: agent.id });
  expect(seen.agents).toEqual([expect.objectContaining({ agent_id: agent.id, status: "online", current_calls: 0, total_calls_today: 1 })]);
  f.staff.close();
  f.waitingRoom?.close();
}

describe("a QueueCoordinator evicted mid-flow", () => {
  for (const how of EVICTIONS) {
    for (const [i, step] of QUEUE_STEPS.entries()) {
      it(`loses no call, offer or reservation when evicted (${how}) after ${step.name}`, () => queueFlow((at) => (at === i ? how : null)));
    }
    it(`loses nothing when evicted (${how}) after every step`, () => queueFlow(() => how));
  }

  for (const how of EVICTIONS) {
    it(`expires an offer by its alarm after an eviction (${how}), and offers the call to the next agent`, async () => {
      const t = await newTenant({ agents: 2, customers: 1 });
      const [a1, a2] = [t.agents[0]!, t.agents[1]!];
      await makeReady(a1);
      const call = await queuedCall(t, t.customers[0]!);
      await makeReady(a2);
      const before = (await callJson(`/video-calls/${call.call_id}`, { token: t.manager.token })).body;
      expect(before.offered_to).toBe(a1.id);
      const { alarm } = await evict(() => coordinator(t), how);
      expect(alarm).toBe(Date.parse(before.offer_expires_at));
      const [s1, s2] = [await openSocket("/video-calls/ws", a1.token), await openSocket("/video-calls/ws", a2.token)];
      await Promise.all([s1.next("initial_state"), s2.next("initial_state")]);
      expect(await runDurableObjectAlarm(coordinator(t))).toBe(true);
      expect(await s1.next("offer_revoked")).toMatchObject({ call_id: call.call_id, reason: "expired" });
      expect((await s2.next("call_offered")).call_id).toBe(call.call_id);
      const after = (await callJson(`/video-calls/${call.call_id}`, { token: t.manager.token })).body;
      expect(after).toMatchObject({ status: "pending", offered_to: a2.id, created_at: before.created_at, position_in_queue: 1 });
      const { body } = await callJson("/video-calls/agents/availability", { token: t.manager.token });
      expect(body.agents.find((a: Json) => a.agent_id === a1.id).missed_offers_in_row).toBe(1);
      await coordinator(t).flushOutbox();
      const offers = await env.DB.prepare("SELECT agent_id, outcome FROM call_offers WHERE call_id = ? ORDER BY offered_at")
        .bind(call.call_id)
        .all();
      expect(offers.results).toEqual([
        { agent_id: a1.id, outcome: "expired" },
        { agent_id: a2.id, outcome: null },
      ]);
      s1.close();
      s2.close();
    });
  }
});

describe("a QueueCoordinator that crashes between a command's commit and its D1 write", () => {
  it("has the new offer's expiry armed already, and its next instance expires the offer and drains the outbox", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const agent = t.agents[0]!;
    await makeReady(agent);
    const input = {
      tenantId: t.id,
      callId: crypto.randomUUID(),
      verificationId: `crash-${crypto.randomUUID()}`,
      customerId: t.customers[0]!.id,
      userName: "Crash Customer",
      priority: "normal" as const,
      fraudScore: null,
      documents: [],
    };
    // D1 never answers this instance's outbox (a slow D1); the enqueue commits and then waits on it.
    const offered = await inMemory(coordinator(t), async (instance, state) => {
      instance.outbox.flush = () => new Promise(() => {});
      void instance.enqueue(input);
      for (let i = 0; i < 200 && !instance.state.calls.get(input.callId)?.offer; i++) await new Promise((r) => setTimeout(r, 5));
      const expiresAt: number = instance.state.calls.get(input.callId).offer.expiresAt;
      for (let i = 0; i < 200 && (await state.storage.getAlarm()) === null; i++) await new Promise((r) => setTimeout(r, 5));
      return { expiresAt, alarm: await state.storage.getAlarm() };
    });
    expect(offered.alarm, "the offer's expiry is armed while D1 is slow").not.toBeNull();
    expect(offered.alarm).toBeLessThanOrEqual(offered.expiresAt);
    expect(await outboxSize(coordinator(t))).toBeGreaterThan(0);
    const { alarm } = await evict(() => coordinator(t), "crash");
    expect(alarm).toBeLessThanOrEqual(offered.expiresAt);
    // The new instance: the alarm expires the offer (an early alarm treats its deadline as now).
    while ((await inMemory(coordinator(t), (i) => i.state.calls.get(input.callId).offer?.agentId)) === agent.id)
      expect(await runDurableObjectAlarm(coordinator(t))).toBe(true);
    await coordinator(t).flushOutbox();
    expect(await outboxSize(coordinator(t))).toBe(0);
    const row = await env.DB.prepare("SELECT status FROM video_calls WHERE id = ?").bind(input.callId).first();
    expect(row).toEqual({ status: "pending" });
    const offers = await env.DB.prepare("SELECT agent_id, outcome FROM call_offers WHERE call_id = ?").bind(input.callId).all();
    expect(offers.results).toEqual([{ agent_id: agent.id, outcome: "expired" }]);
  });
});

// ---- AgentPresence: beats → stale → offline, each by an alarm --------------------------------

type PresenceFlow = { t: TestTenant; agent: TestUser; callId?: string };

const agentSeen = async (f: PresenceFlow) =>
  (await callJson("/video-calls/agents/availability", { token: f.t.manager.token })).body.agents.find(
    (a: Json) => a.agent_id === f.agent.id,
  );
const offeredTo = async (f: PresenceFlow) => (await callJson(`/video-calls/${f.callId}`, { token: f.t.manager.token })).body.offered_to;
/** What the coordinator heard from presence (its copy of the presence record). */
const heard = (f: PresenceFlow) =>
  inMemory(coordinator(f.t), (i) => {
    const { fresh, offline, deviceConnected, lastBeatAt } = i.state.agents.get(f.agent.id).presence;
    return { fresh, offline, deviceConnected, lastBeatAt };
  });
const presenceAlarm = async (f: PresenceFlow) => expect(await runDurableObjectAlarm(presence(f.t, f.agent))).toBe(true);

const PRESENCE_STEPS: Array<{ name: string; run: (f: PresenceFlow) => Promise<void> }> = [
  {
    name: "beats (ready, offered a call)",
    async run(f) {
      await makeReady(f.agent);
      f.callId = (await queuedCall(f.t, f.t.customers[0]!)).call_id;
      expect(await offeredTo(f)).toBe(f.agent.id);
      expect(await heard(f)).toMatchObject({ fresh: true, offline: false, deviceConnected: true });
    },
  },
  {
    name: "the alarm finds the beat stale",
    async run(f) {
      await presenceAlarm(f);
      expect(await heard(f)).toMatchObject({ fresh: false, offline: false });
      // Stale is late, not gone: the reservation stays.
      expect(await offeredTo(f)).toBe(f.agent.id);
    },
  },
  {
    name: "a beat makes it fresh again",
    async run(f) {
      const beat = await callJson("/agents/heartbeat", { token: f.agent.token, json: { device_connected: true } });
      expect(beat.body.status).toBe("online");
      expect(await heard(f)).toMatchObject({ fresh: true, offline: false });
    },
  },
  { name: "the alarm finds it stale again", run: presenceAlarm },
  {
    name: "the alarm finds it gone (offline, the offer released)",
    async run(f) {
      await presenceAlarm(f);
      expect(await heard(f)).toMatchObject({ fresh: false, offline: true, deviceConnected: false });
      expect(await offeredTo(f)).toBeUndefined();
      expect((await agentSeen(f)).status).toBe("offline");
    },
  },
];

async function presenceFlow(evictAfter: (step: number) => Eviction | null) {
  const t = await newTenant({ agents: 1, customers: 1 });
  const f: PresenceFlow = { t, agent: t.agents[0]! };
  for (const [i, step] of PRESENCE_STEPS.entries()) {
    await step.run(f);
    const how = evictAfter(i);
    if (!how) continue;
    // The queue's half may still be on its way from the coordinator (it sends it off its request
    // path): it can only be as new or newer after the eviction.
    const record = (p: Json) => {
      const { queue, ...own } = p.presence;
      return structuredClone({ own, queueAt: queue.at, identity: p.identity, armed: p.alarmClock.scheduled() });
    };
    const before = await inMemory(presence(t, f.agent), record);
    const { alarm } = await evict(() => presence(t, f.agent), how);
    const after = await inMemory(presence(t, f.agent), record);
    expect({ ...after, queueAt: 0 }, `presence rebuilt after "${step.name}"`).toEqual({ ...before, queueAt: 0 });
    expect(after.queueAt).toBeGreaterThanOrEqual(before.queueAt);
    // The next report is armed: stale, then offline; nothing once offline was told.
    expect(alarm).toBe(before.armed);
    expect(alarm === null).toBe(i === PRESENCE_STEPS.length - 1);
  }
  expect(await agentSeen(f)).toMatchObject({ status: "offline", device_connected: false, current_calls: 0 });
}

describe("an AgentPresence evicted mid-flow (it holds no sockets: evicted or crashed)", () => {
  for (const how of ["hibernate", "crash"] as const) {
    for (const [i, step] of PRESENCE_STEPS.entries()) {
      it(`still reports stale, then offline, when evicted (${how}) after ${step.name}`, () =>
        presenceFlow((at) => (at === i ? how : null)));
    }
    it(`still reports stale, then offline, when evicted (${how}) after every step`, () => presenceFlow(() => how));
  }
});
