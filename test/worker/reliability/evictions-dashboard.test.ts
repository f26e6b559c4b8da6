// Issue 12, item 2: the DashboardHub evicted at every step of a call's life on three dashboards
// with different subscriptions (all streams; metrics only, over one hour; calls only, reached by
// unsubscribing). test/worker/dashboard/hub.test.ts shows one wake finds sockets and streams; here
// every step, all three evictions, the metrics period kept, a metrics push that was waiting when
// the hub went, and the token-expiry alarm after a wake.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signToken } from "../../../worker/auth/tokens.ts";
import { callJson, type Json } from "../support/api.ts";
import { EVICTIONS, evict, type Eviction } from "../support/evict.ts";
import { makeReady, openSocket, queuedCall, type TestSocket } from "../support/queue.ts";
import { newTenant, type TestTenant } from "../support/tenant.ts";

const hub = (t: TestTenant) => env.DASHBOARD_HUB.getByName(t.id);

type Dashboards = { all: TestSocket; metrics: TestSocket; calls: TestSocket };
type HubFlow = { t: TestTenant; d: Dashboards; callId?: string };

/** The three dashboards, each greeted; "calls" reaches its subscription by unsubscribing agents. */
async function connect(t: TestTenant): Promise<Dashboards> {
  const token = t.manager.token;
  const [all, metrics, calls] = [
    await openSocket("/dashboard/ws", token),
    await openSocket("/dashboard/ws?streams=metrics&hours=1", token),
    await openSocket("/dashboard/ws?streams=calls,agents", token),
  ];
  await Promise.all([all, metrics, calls].map((s) => s.next("initial_state")));
  calls.send({ type: "unsubscribe", stream: "agents" });
  expect((await calls.next("subscribed")).streams).toEqual(["calls"]);
  return { all, metrics, calls };
}

/** Each dashboard heard only its streams, and metrics for its own period. */
function heardOnlyTheirs(d: Dashboards) {
  const live = (s: TestSocket) => s.messages.filter((m) => !["connected", "initial_state", "subscribed", "pong"].includes(m.type));
  expect(new Set(live(d.metrics).map((m) => m.type))).toEqual(new Set(["metrics_update"]));
  expect(live(d.metrics).every((m) => m.metrics.period_hours === 1)).toBe(true);
  expect(live(d.calls).every((m) => m.type === "call_event" || m.type === "active_calls_update")).toBe(true);
  expect(
    live(d.all)
      .filter((m) => m.type === "metrics_update")
      .every((m) => m.metrics.period_hours === 24),
  ).toBe(true);
}

const callEvent = (s: TestSocket, f: HubFlow, status: string) =>
  s.next("call_event", (m) => m.call.id === f.callId && m.call.status === status, 6000);
const metrics = (s: TestSocket, where: (m: Json) => boolean) => s.next("metrics_update", (m) => where(m.metrics), 6000);

const HUB_STEPS: Array<{ name: string; run: (f: HubFlow) => Promise<void> }> = [
  {
    name: "a call is queued",
    async run(f) {
      f.callId = (await queuedCall(f.t, f.t.customers[0]!)).call_id;
      await Promise.all([callEvent(f.d.all, f, "pending"), callEvent(f.d.calls, f, "pending")]);
      await metrics(f.d.metrics, (m) => m.waiting_by_priority.normal === 1);
    },
  },
  {
    name: "an agent comes online and accepts it",
    async run(f) {
      const agent = f.t.agents[0]!;
      await makeReady(agent);
      await f.d.all.next("agents_update", (m) => m.agents.some((a: Json) => a.agent_id === agent.id && a.status === "online"), 6000);
      expect((await callJson(`/video-calls/${f.callId}/accept`, { token: agent.token, method: "POST" })).status).toBe(200);
      await Promise.all([callEvent(f.d.all, f, "assigned"), callEvent(f.d.calls, f, "assigned")]);
      await metrics(f.d.metrics, (m) => m.active_calls === 1);
    },
  },
  {
    name: "the call is completed",
    async run(f) {
      const agent = f.t.agents[0]!;
      expect((await callJson(`/video-calls/${f.callId}/start`, { token: agent.token, method: "POST" })).status).toBe(200);
      const done = await callJson(`/video-calls/${f.callId}/complete`, {
        token: agent.token,
        json: { call_notes: "Fine.", verification_result: "approved", reason_code: "IDENTITY_CONFIRMED" },
      });
      expect(done.status).toBe(200);
      await Promise.all([callEvent(f.d.all, f, "completed"), callEvent(f.d.calls, f, "completed")]);
      await metrics(f.d.metrics, (m) => m.completed_calls === 1 && m.active_calls === 0);
    },
  },
];

async function hubFlow(evictAfter: (step: number) => Eviction | null) {
  const t = await newTenant({ agents: 1, customers: 1 });
  const f: HubFlow = { t, d: await connect(t) };
  for (const [i, step] of HUB_STEPS.entries()) {
    await step.run(f);
    heardOnlyTheirs(f.d);
    const how = evictAfter(i);
    if (!how) continue;
    const { alarm, sockets } = await evict(() => hub(t), how);
    // The dashboards' tokens expire: the hub's alarm stays armed for the sockets it kept.
    if (sockets > 0) expect(alarm).toBeGreaterThan(Date.now());
    if (how === "hibernate") continue;
    // The sockets were cut: the dashboards connect again and start from a fresh initial state.
    for (const s of Object.values(f.d)) await s.closedWithin();
    f.d = await connect(t);
    const [greeting, view] = [
      f.d.all.all("initial_state")[0]!,
      (await callJson(`/video-calls/${f.callId}`, { token: t.manager.token })).body,
    ];
    expect(greeting.active_calls.map((c: Json) => c.id)).toEqual(view.status === "assigned" ? [f.callId] : []);
    expect(greeting.queue.total_pending).toBe(view.status === "pending" ? 1 : 0);
  }
  for (const s of Object.values(f.d)) s.close();
}

// The hub keeps nothing but sockets and their subscriptions, the same at every step: one test per
// eviction evicts it after each step (a step without an eviction before it only waits for the
// metrics throttle, which a new instance starts afresh).
describe("a DashboardHub evicted at each step of a call", () => {
  for (const how of EVICTIONS) {
    it(`keeps every dashboard on its own streams when evicted (${how}) after each step`, () => hubFlow(() => how));
  }
  it("keeps them when evicted only once, halfway", () => hubFlow((at) => (at === 1 ? "hibernate" : null)));
});

describe("a DashboardHub that wakes from hibernation", () => {
  it("still sends the metrics push that was waiting (throttled) when it was evicted", async () => {
    const t = await newTenant({ agents: 0, customers: 2 });
    const socket = await openSocket("/dashboard/ws?streams=metrics", t.manager.token);
    await socket.next("initial_state");
    await queuedCall(t, t.customers[0]!);
    await socket.next("metrics_update", (m) => m.metrics.total_calls === 1, 6000);
    // Within the push interval: this change's push waits for the throttle when the hub goes.
    await queuedCall(t, t.customers[1]!);
    await evict(() => hub(t), "hibernate");
    await socket.next("metrics_update", (m) => m.metrics.total_calls === 2, 6000);
    socket.close();
  });

  it("closes a dashboard whose token expired on its alarm; the others keep listening", async () => {
    const t = await newTenant({ agents: 0, customers: 1 });
    const m = t.manager;
    const short = (await signToken({ userId: m.id, tenantId: t.id, role: m.role, name: m.name }, env.JWT_SECRET, 120)).token;
    const expiring = await openSocket("/dashboard/ws", short);
    const staying = await openSocket("/dashboard/ws", m.token);
    await Promise.all([expiring.next("initial_state"), staying.next("initial_state")]);
    const { alarm } = await evict(() => hub(t), "hibernate");
    expect(alarm).toBeGreaterThan(Date.now());
    expect(await runDurableObjectAlarm(hub(t))).toBe(true);
    expect(await expiring.closedWithin()).toEqual({ code: 4001, reason: "token_expired" });
    const call = await queuedCall(t, t.customers[0]!);
    await staying.next("call_event", (msg) => msg.call.id === call.call_id);
    expect(staying.closed).toBe(false);
    staying.close();
  });
});
