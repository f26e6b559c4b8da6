// The live dashboard stream: initial state, call events within a second of the change,
// coalesced metrics, per-stream subscriptions, and tenant isolation.
import { describe, expect, it } from "vitest";
import { metricsPushDelay } from "../../../worker/core/queue/dashboard-events.ts";
import { callJson } from "../support/api.ts";
import { makeReady, openSocket, queuedCall } from "../support/queue.ts";
import { newTenant, type TestTenant } from "../support/tenant.ts";

async function takenCall(t: TestTenant, customer = 0) {
  const agent = t.agents[0]!;
  await makeReady(agent, 3);
  const call = await queuedCall(t, t.customers[customer]!);
  await callJson(`/video-calls/${call.call_id}/accept`, { token: agent.token, method: "POST" });
  return { agent, callId: call.call_id as string };
}

describe("dashboard stream", () => {
  it("opens with the current state", async () => {
    const t = await newTenant({ agents: 1, customers: 2 });
    const { callId } = await takenCall(t);
    await queuedCall(t, t.customers[1]!, "high");
    const socket = await openSocket("/dashboard/ws", t.manager.token);
    expect((await socket.next("connected")).streams).toEqual(["metrics", "calls", "agents"]);
    const state = await socket.next("initial_state");
    expect(state.active_calls.map((c: { id: string }) => c.id)).toEqual([callId]);
    expect(state.metrics).toMatchObject({ total_calls: 2, active_calls: 1, waiting_by_priority: { high: 1 } });
    expect(state.recent_calls).toHaveLength(2);
    expect(state.outcome_distribution).toEqual(state.metrics.outcome_counts);
    expect(state.queue.total_pending).toBe(1);
    socket.close();
  });

  it("sends call_event within a second when another request starts a call", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const { agent, callId } = await takenCall(t);
    const socket = await openSocket("/dashboard/ws", t.manager.token);
    await socket.next("initial_state");
    const started = Date.now();
    await callJson(`/video-calls/${callId}/start`, { token: agent.token, method: "POST" });
    const event = await socket.next("call_event", (m) => m.event === "call_started", 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(event.call).toMatchObject({ id: callId, status: "in_progress" });
    expect((await socket.next("active_calls_update", (m) => m.active_calls[0]?.status === "in_progress")).active_calls).toHaveLength(1);
    await callJson(`/video-calls/${callId}/complete`, { token: agent.token, json: { call_notes: "ok", verification_result: "approved" } });
    expect((await socket.next("call_event", (m) => m.event === "call_ended")).call).toMatchObject({ id: callId, status: "completed" });
    expect((await socket.next("metrics_update", (m) => m.metrics.completed_calls === 1)).metrics.outcome_counts.approved).toBe(1);
    socket.close();
  });

  it("sends nothing on a stream the dashboard unsubscribed from", async () => {
    const t = await newTenant({ agents: 1, customers: 2 });
    const socket = await openSocket("/dashboard/ws", t.manager.token);
    await socket.next("initial_state");
    socket.send({ type: "unsubscribe", stream: "calls" });
    expect((await socket.next("subscribed")).streams).toEqual(["metrics", "agents"]);
    await queuedCall(t, t.customers[0]!);
    // Metrics still arrive; by then any call event would have come first.
    await socket.next("metrics_update", (m) => m.metrics.total_calls === 1);
    expect(socket.all("call_event")).toEqual([]);
    expect(socket.all("active_calls_update")).toEqual([]);
    socket.send({ type: "subscribe", stream: "calls" });
    await socket.next("subscribed", (m) => m.streams.includes("calls"));
    await queuedCall(t, t.customers[1]!);
    await socket.next("call_event", (m) => m.event === "call_updated");
    socket.close();
  });

  it("lets a dashboard choose its streams when it connects", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const socket = await openSocket("/dashboard/ws?streams=agents", t.manager.token);
    expect((await socket.next("connected")).streams).toEqual(["agents"]);
    await makeReady(t.agents[0]!);
    await socket.next("agents_update");
    await queuedCall(t, t.customers[0]!);
    const socketAll = await openSocket("/dashboard/ws", t.manager.token);
    await socketAll.next("initial_state");
    expect(socket.all("call_event")).toEqual([]);
    expect(socket.all("metrics_update")).toEqual([]);
    socket.close();
    socketAll.close();
  });

  it("never delivers another tenant's events", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const other = await newTenant({ agents: 1, customers: 1 });
    const theirs = await openSocket("/dashboard/ws", other.manager.token);
    await theirs.next("initial_state");
    const ours = await openSocket("/dashboard/ws", t.manager.token);
    await ours.next("initial_state");
    const { callId } = await takenCall(t);
    await ours.next("call_event", (m) => m.call.id === callId);
    await ours.next("metrics_update");
    expect(JSON.stringify(theirs.messages)).not.toContain(callId);
    expect(theirs.all("call_event")).toEqual([]);
    theirs.close();
    ours.close();
  });

  it("answers bad messages with an error and pings with pong", async () => {
    const t = await newTenant({ agents: 1 });
    const socket = await openSocket("/dashboard/ws", t.it.token);
    await socket.next("initial_state");
    socket.send({ type: "subscribe", stream: "weather" });
    await socket.next("error", (m) => m.code === "invalid_message");
    socket.send({ type: "ping" });
    await socket.next("pong");
    socket.close();
    expect((await callJson(`/dashboard/ws?token=${t.agents[0]!.token}`, { headers: { Upgrade: "websocket" } })).status).toBe(403);
    expect((await callJson(`/dashboard/ws?hours=0&token=${t.it.token}`, { headers: { Upgrade: "websocket" } })).status).toBe(400);
  });
});

describe("metrics pushes", () => {
  it("are at least two seconds apart", () => {
    expect(metricsPushDelay(null, 10_000)).toBe(0);
    expect(metricsPushDelay(10_000, 10_500)).toBe(1500);
    expect(metricsPushDelay(10_000, 12_000)).toBe(0);
    expect(metricsPushDelay(10_000, 30_000)).toBe(0);
  });

  it("coalesce a burst of changes", async () => {
    const t = await newTenant({ agents: 1, customers: 4 });
    const socket = await openSocket("/dashboard/ws?streams=metrics", t.manager.token);
    await socket.next("initial_state");
    for (const customer of t.customers) await queuedCall(t, customer);
    await socket.next("metrics_update", (m) => m.metrics.total_calls === 4, 6000);
    // Four enqueues (plus their uploads) happened; far fewer pushes went out.
    expect(socket.all("metrics_update").length).toBeLessThanOrEqual(3);
    const times = socket.all("metrics_update").map((m) => Date.parse(m.timestamp));
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1900);
    socket.close();
  });
});
