// The dashboard sockets live in the tenant's DashboardHub, not in the queue coordinator: the
// coordinator answers without waiting on any dashboard, and every dashboard still hears every
// change once and in order; a dashboard that connects mid-burst hears only what its initial
// state does not show; nothing is published while nobody listens; a hub or coordinator that
// restarts loses no dashboard; expired and revoked sessions close dashboards too.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DashboardHub } from "../../../durable-objects/dashboard-hub.ts";
import { signToken } from "../../../worker/auth/tokens.ts";
import { call } from "../support/api.ts";
import { coordinator, eventually, openSocket, type TestSocket } from "../support/queue.ts";
import { newTenant, type TestTenant } from "../support/tenant.ts";

const hub = (t: TestTenant) => env.DASHBOARD_HUB.getByName(t.id);

let calls = 0;
/** A call straight into the coordinator, as the queue route does it. */
function enqueueInput(t: TestTenant) {
  calls++;
  return {
    tenantId: t.id,
    callId: crypto.randomUUID(),
    verificationId: `hub-test-${crypto.randomUUID()}`,
    customerId: t.customers[0]!.id,
    userName: `Customer ${calls}`,
    priority: "normal" as const,
    fraudScore: null,
    documents: [],
  };
}

/** Holds every publication the hub receives until the returned release: a hub that is slow to
 * deliver. The hold lives inside the hub (made and resolved there), and nothing else of the hub
 * waits on it. */
async function holdPublications(t: TestTenant): Promise<() => Promise<void>> {
  type Held = DashboardHub & { releaseHold?: () => void };
  await runInDurableObject(hub(t), (instance: Held) => {
    // RPC calls reach methods on the prototype only, so the hold wraps the prototype's, for this
    // instance alone, until released.
    const proto = Object.getPrototypeOf(instance) as DashboardHub;
    const publish = proto.publish;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    proto.publish = function (this: DashboardHub, batch) {
      return this === instance ? gate.then(() => publish.call(this, batch)) : publish.call(this, batch);
    };
    instance.releaseHold = () => {
      proto.publish = publish;
      open();
    };
  });
  return () => runInDurableObject(hub(t), (instance: Held) => instance.releaseHold!());
}

async function dashboards(t: TestTenant, n: number, path = "/dashboard/ws"): Promise<TestSocket[]> {
  const sockets: TestSocket[] = [];
  for (let i = 0; i < n; i++) {
    const s = await openSocket(path, t.manager.token);
    await s.next("initial_state");
    sockets.push(s);
  }
  return sockets;
}

const heardCalls = (s: TestSocket, ids: Set<string>) =>
  s.all("call_event").flatMap((m) => (ids.has(m.call.id) ? [m.call.id as string] : []));

describe("dashboard hub", () => {
  it("keeps the dashboard sockets out of the coordinator", async () => {
    const t = await newTenant({ agents: 0, customers: 1 });
    const sockets = await dashboards(t, 3);
    expect(await runInDurableObject(coordinator(t), (_i, state) => state.getWebSockets().length)).toBe(0);
    expect(await runInDurableObject(hub(t), (_i, state) => state.getWebSockets("dashboard").length)).toBe(3);
    for (const s of sockets) s.close();
  });

  it("lets the coordinator answer without waiting on dashboards, and every one hears a burst once, in order", async () => {
    const t = await newTenant({ agents: 0, customers: 1 });
    const sockets = await dashboards(t, 25);
    const release = await holdPublications(t);
    const burst = Array.from({ length: 8 }, () => enqueueInput(t));
    // The hub can deliver nothing now, yet every enqueue is answered.
    for (const input of burst) expect((await coordinator(t).enqueue(input)).ok).toBe(true);
    const ids = new Set(burst.map((b) => b.callId));
    for (const s of sockets) expect(heardCalls(s, ids)).toEqual([]);
    await release();
    const last = burst.at(-1)!.callId;
    await Promise.all(sockets.map((s) => s.next("call_event", (m) => m.call.id === last)));
    for (const s of sockets) expect(heardCalls(s, ids)).toEqual(burst.map((b) => b.callId));
    for (const s of sockets) s.close();
  });

  it("gives a dashboard that connects mid-burst only what its initial state does not show", async () => {
    const t = await newTenant({ agents: 0, customers: 1 });
    const [early] = await dashboards(t, 1);
    const release = await holdPublications(t);
    const before = Array.from({ length: 3 }, () => enqueueInput(t));
    for (const input of before) await coordinator(t).enqueue(input);
    // The first publication is held in the hub; the rest wait in the coordinator's feed.
    const late = await openSocket("/dashboard/ws", t.manager.token);
    expect((await late.next("initial_state")).queue.total_pending).toBe(3);
    await release();
    const after = enqueueInput(t);
    await coordinator(t).enqueue(after);
    await late.next("call_event", (m) => m.call.id === after.callId);
    await early!.next("call_event", (m) => m.call.id === after.callId);
    const all = new Set([...before, after].map((b) => b.callId));
    expect(heardCalls(late, all)).toEqual([after.callId]);
    expect(heardCalls(early!, all)).toEqual([...before, after].map((b) => b.callId));
    early!.close();
    late.close();
  });

  it("tells the coordinator to stop publishing once the last dashboard left, and to start when one connects", async () => {
    const t = await newTenant({ agents: 0, customers: 1 });
    const listening = () =>
      runInDurableObject(
        coordinator(t),
        (instance) => (instance as unknown as { dashboards: { listening: boolean } }).dashboards.listening,
      );
    const [first] = await dashboards(t, 1);
    first!.close();
    await eventually(async () => expect(await runInDurableObject(hub(t), (_i, state) => state.getWebSockets().length)).toBe(0));
    await eventually(async () => {
      await coordinator(t).enqueue(enqueueInput(t));
      expect(await listening()).toBe(false);
    });
    const [second] = await dashboards(t, 1);
    expect(await listening()).toBe(true);
    const next = enqueueInput(t);
    await coordinator(t).enqueue(next);
    await second!.next("call_event", (m) => m.call.id === next.callId);
    second!.close();
  });
});

describe("a dashboard hub that wakes from hibernation", () => {
  it("finds its sockets and their subscriptions again", async () => {
    const t = await newTenant({ agents: 0, customers: 1 });
    const [all, agentsOnly] = [...(await dashboards(t, 1)), ...(await dashboards(t, 1))];
    agentsOnly!.send({ type: "unsubscribe", stream: "calls" });
    await agentsOnly!.next("subscribed");
    await evictDurableObject(hub(t));
    const input = enqueueInput(t);
    await coordinator(t).enqueue(input);
    await all!.next("call_event", (m) => m.call.id === input.callId);
    all!.send({ type: "subscribe", stream: "agents" });
    await all!.next("subscribed", (m) => m.streams.length === 3);
    expect(agentsOnly!.all("call_event")).toEqual([]);
    all!.close();
    agentsOnly!.close();
  });

  it("keeps hearing a coordinator that restarted", async () => {
    const t = await newTenant({ agents: 0, customers: 1 });
    const [socket] = await dashboards(t, 1);
    await coordinator(t).enqueue(enqueueInput(t));
    await evictDurableObject(coordinator(t));
    const input = enqueueInput(t);
    await coordinator(t).enqueue(input);
    await socket!.next("call_event", (m) => m.call.id === input.callId);
    socket!.close();
  });
});

describe("dashboard sessions", () => {
  it("close a dashboard when its token expires (the hub's alarm); the others keep listening", async () => {
    const t = await newTenant({ agents: 0, customers: 1 });
    const m = t.manager;
    const short = (await signToken({ userId: m.id, tenantId: t.id, role: m.role, name: m.name }, env.JWT_SECRET, 120)).token;
    const expiring = await openSocket("/dashboard/ws", short);
    await expiring.next("initial_state");
    const [staying] = await dashboards(t, 1);
    expect(await runDurableObjectAlarm(hub(t))).toBe(true);
    expect(await expiring.closedWithin()).toEqual({ code: 4001, reason: "token_expired" });
    const input = enqueueInput(t);
    await coordinator(t).enqueue(input);
    await staying!.next("call_event", (msg) => msg.call.id === input.callId);
    expect(staying!.closed).toBe(false);
    staying!.close();
  });

  it("close with 4001 when the manager signs out", async () => {
    const t = await newTenant({ agents: 0, customers: 0 });
    const [socket] = await dashboards(t, 1);
    expect((await call("/auth/logout", { token: t.manager.token, method: "POST" })).status).toBe(204);
    expect(await socket!.closedWithin()).toEqual({ code: 4001, reason: "token_revoked" });
  });
});
