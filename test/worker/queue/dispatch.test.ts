// The queue engine end to end inside workerd: real QueueCoordinator and AgentPresence
// Durable Objects, real WebSockets, alarms run with runDurableObjectAlarm.
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson } from "../support/api.ts";
import { coordinator, makeReady, openSocket, pendingIds, presence, queuedCall } from "../support/queue.ts";
import { newTenant } from "../support/tenant.ts";

describe("queue order", () => {
  it("lists pending calls by priority, then oldest first, across all four priorities", async () => {
    const t = await newTenant({ agents: 1, customers: 5 });
    const low = await queuedCall(t, t.customers[0]!, "low");
    const normal = await queuedCall(t, t.customers[1]!, "normal");
    const urgent = await queuedCall(t, t.customers[2]!, "urgent");
    const high = await queuedCall(t, t.customers[3]!, "high");
    const normal2 = await queuedCall(t, t.customers[4]!, "normal");
    expect(await pendingIds(t.agents[0]!.token)).toEqual([urgent.call_id, high.call_id, normal.call_id, normal2.call_id, low.call_id]);
    const { body } = await callJson("/video-calls/pending?priority_min=high", { token: t.agents[0]!.token });
    expect(body.pending_calls.map((c: { priority: string }) => c.priority)).toEqual(["urgent", "high"]);
    expect(body.total_pending).toBe(2);
  });

  it("answers the queue request with the call's place and estimated wait", async () => {
    const t = await newTenant({ customers: 2 });
    const first = await queuedCall(t, t.customers[0]!, "normal");
    const second = await queuedCall(t, t.customers[1]!, "normal");
    expect(first).toMatchObject({ position_in_queue: 1, status: "pending", priority: "normal" });
    expect(second.position_in_queue).toBe(2);
    expect(second.estimated_wait_seconds).toBeGreaterThan(first.estimated_wait_seconds);
  });
});

describe("offers", () => {
  it("offers a new call to the ready agent over the socket, and accept assigns it", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const agent = t.agents[0]!;
    await makeReady(agent);
    const socket = await openSocket("/video-calls/ws", agent.token);
    await socket.next("initial_state");
    const call = await queuedCall(t, t.customers[0]!, "high");
    const offer = await socket.next("call_offered");
    expect(offer).toMatchObject({ call_id: call.call_id, priority: "high", user_name: t.customers[0]!.name, offer_timeout_seconds: 30 });
    expect(Date.parse(offer.expires_at) - Date.parse(offer.offered_at)).toBe(30_000);
    expect(Date.parse(offer.expires_at) - Date.now()).toBeGreaterThan(20_000);

    const accepted = await callJson(`/video-calls/${call.call_id}/accept`, { token: agent.token, method: "POST" });
    expect(accepted.status).toBe(200);
    expect(accepted.body.session_id).toBeTruthy();
    expect((await socket.next("call_assigned")).call).toMatchObject({ id: call.call_id, status: "assigned", assigned_agent_id: agent.id });
    const view = await callJson(`/video-calls/${call.call_id}`, { token: t.customers[0]!.token });
    expect(view.body).toMatchObject({ status: "assigned", assigned_agent_id: agent.id, session_id: accepted.body.session_id });
    socket.close();
  });

  it("accepts over the socket too", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const agent = t.agents[0]!;
    await makeReady(agent);
    const socket = await openSocket("/video-calls/ws", agent.token);
    const call = await queuedCall(t, t.customers[0]!);
    await socket.next("call_offered");
    socket.send({ type: "accept", call_id: call.call_id });
    expect((await socket.next("call_assigned")).call.id).toBe(call.call_id);
    socket.close();
  });

  it("returns a rejected call to its old place and offers it to the next agent", async () => {
    const t = await newTenant({ agents: 2, customers: 2 });
    const [a1, a2] = t.agents as [(typeof t.agents)[0] & object, (typeof t.agents)[0] & object];
    await makeReady(a1);
    const first = await queuedCall(t, t.customers[0]!, "normal");
    const second = await queuedCall(t, t.customers[1]!, "normal");
    const before = await callJson(`/video-calls/${first.call_id}`, { token: t.manager.token });
    expect(before.body.offered_to).toBe(a1.id);

    expect((await callJson(`/video-calls/${first.call_id}/reject`, { token: a1.token, method: "POST" })).status).toBe(200);
    expect(await pendingIds(t.manager.token)).toEqual([first.call_id, second.call_id]);
    // a1 declined `first`, so the free a1 is offered `second`; `first` waits for the next agent.
    expect((await callJson(`/video-calls/${second.call_id}`, { token: t.manager.token })).body.offered_to).toBe(a1.id);
    await makeReady(a2);
    const after = await callJson(`/video-calls/${first.call_id}`, { token: t.manager.token });
    expect(after.body).toMatchObject({ offered_to: a2.id, created_at: before.body.created_at, position_in_queue: 1 });
  });

  it("returns an expired offer to its old place and offers it to the next agent", async () => {
    const t = await newTenant({ agents: 2, customers: 2 });
    const [a1, a2] = t.agents as [(typeof t.agents)[0] & object, (typeof t.agents)[0] & object];
    await makeReady(a1);
    const first = await queuedCall(t, t.customers[0]!, "normal");
    await makeReady(a2);
    const second = await queuedCall(t, t.customers[1]!, "normal");
    expect((await callJson(`/video-calls/${second.call_id}`, { token: t.manager.token })).body.offered_to).toBe(a2.id);

    const socket = await openSocket("/video-calls/ws", a1.token);
    expect(await runDurableObjectAlarm(coordinator(t))).toBe(true);
    expect((await socket.next("offer_revoked")).reason).toBe("expired");
    const call = await callJson(`/video-calls/${first.call_id}`, { token: t.manager.token });
    expect(call.body.position_in_queue).toBe(1);
    expect(await pendingIds(t.manager.token)).toEqual([first.call_id, second.call_id]);
    socket.close();
  });

  it("sets an agent away after MAX_MISSED_OFFERS expired offers in a row", async () => {
    const t = await newTenant({ agents: 1, customers: 3 });
    const agent = t.agents[0]!;
    await makeReady(agent);
    for (const customer of t.customers) await queuedCall(t, customer);
    // Each alarm expires the open offer; the cooldown keeps the agent from the same call, so
    // the next call is offered and expires in turn.
    for (let i = 0; i < 3; i++) await runDurableObjectAlarm(coordinator(t));
    const { body } = await callJson("/video-calls/agents/availability", { token: t.manager.token });
    expect(body.agents.find((a: { agent_id: string }) => a.agent_id === agent.id)).toMatchObject({
      status: "away",
      missed_offers_in_row: 3,
    });
  });

  it("gives a contested call to exactly one of two agents accepting at once", async () => {
    const t = await newTenant({ agents: 2, customers: 1 });
    const call = await queuedCall(t, t.customers[0]!);
    const results = await Promise.all(
      t.agents.map((a) => callJson(`/video-calls/${call.call_id}/accept`, { token: a.token, method: "POST" })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe("call_already_taken");
  });

  it("refuses an agent a call reserved for another agent (409)", async () => {
    const t = await newTenant({ agents: 2, customers: 1 });
    await makeReady(t.agents[0]!);
    const call = await queuedCall(t, t.customers[0]!);
    const res = await callJson(`/video-calls/${call.call_id}/accept`, { token: t.agents[1]!.token, method: "POST" });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("call_offered_to_another_agent");
  });

  it("never gives an agent more calls than their capacity", async () => {
    const t = await newTenant({ agents: 1, customers: 3 });
    const agent = t.agents[0]!;
    await makeReady(agent, 2);
    const calls = [await queuedCall(t, t.customers[0]!), await queuedCall(t, t.customers[1]!), await queuedCall(t, t.customers[2]!)];
    const views = await Promise.all(calls.map((c) => callJson(`/video-calls/${c.call_id}`, { token: t.manager.token })));
    expect(views.map((v) => v.body.offered_to ?? null)).toEqual([agent.id, agent.id, null]);
    for (const c of calls.slice(0, 2))
      expect((await callJson(`/video-calls/${c.call_id}/accept`, { token: agent.token, method: "POST" })).status).toBe(200);
    const third = await callJson(`/video-calls/${calls[2]!.call_id}/accept`, { token: agent.token, method: "POST" });
    expect(third.status).toBe(409);
    expect(third.body.error.code).toBe("agent_at_capacity");
  });
});

describe("presence", () => {
  it("releases an offline agent's offers but keeps their call in progress", async () => {
    const t = await newTenant({ agents: 1, customers: 2 });
    const agent = t.agents[0]!;
    await makeReady(agent, 2);
    const active = await queuedCall(t, t.customers[0]!);
    expect((await callJson(`/video-calls/${active.call_id}/accept`, { token: agent.token, method: "POST" })).status).toBe(200);
    expect((await callJson(`/video-calls/${active.call_id}/start`, { token: agent.token, method: "POST" })).status).toBe(200);
    const offered = await queuedCall(t, t.customers[1]!);
    expect((await callJson(`/video-calls/${offered.call_id}`, { token: t.manager.token })).body.offered_to).toBe(agent.id);

    // No heartbeat since: the presence alarm finds the beat stale, then missing long enough.
    expect(await runDurableObjectAlarm(presence(t, agent))).toBe(true);
    expect(await runDurableObjectAlarm(presence(t, agent))).toBe(true);

    const pendingView = await callJson(`/video-calls/${offered.call_id}`, { token: t.manager.token });
    expect(pendingView.body.offered_to).toBeUndefined();
    expect((await callJson(`/video-calls/${active.call_id}`, { token: t.manager.token })).body).toMatchObject({
      status: "in_progress",
      assigned_agent_id: agent.id,
    });
    const { body } = await callJson("/video-calls/agents/availability", { token: t.manager.token });
    expect(body.agents.find((a: { agent_id: string }) => a.agent_id === agent.id).status).toBe("offline");
  });

  it("offers nothing to an online agent whose device is disconnected while another is ready", async () => {
    const t = await newTenant({ agents: 2, customers: 1 });
    const [unready, ready] = t.agents as [(typeof t.agents)[0] & object, (typeof t.agents)[0] & object];
    await callJson("/video-calls/agents/status", { token: unready.token, json: { status: "online" } });
    await callJson("/agents/heartbeat", { token: unready.token, json: { device_connected: false } });
    await makeReady(ready);
    const call = await queuedCall(t, t.customers[0]!);
    expect((await callJson(`/video-calls/${call.call_id}`, { token: t.manager.token })).body.offered_to).toBe(ready.id);
  });

  it("restores a dashboard's status after a network gap, but not a pause for missed offers", async () => {
    const t = await newTenant({ agents: 1, customers: 3 });
    const agent = t.agents[0]!;
    await makeReady(agent);
    const socket = await openSocket("/video-calls/ws", agent.token);
    for (const customer of t.customers) await queuedCall(t, customer);
    for (let i = 0; i < 3; i++) await runDurableObjectAlarm(coordinator(t));
    expect((await socket.next("agent_status_changed", (m) => m.agent.status === "away")).agent.missed_offers_in_row).toBe(3);
    const paused = await callJson("/agents/heartbeat", { token: agent.token, json: { device_connected: true, current_status: "online" } });
    expect(paused.body.status).toBe("away");

    await callJson("/video-calls/agents/status", { token: agent.token, json: { status: "online" } });
    await runDurableObjectAlarm(presence(t, agent));
    await runDurableObjectAlarm(presence(t, agent));
    await socket.next("agent_status_changed", (m) => m.agent.status === "offline");
    const back = await callJson("/agents/heartbeat", { token: agent.token, json: { device_connected: true, current_status: "online" } });
    expect(back.body.status).toBe("online");
    socket.close();
  });

  it("keeps an agent offline who chose it, whatever another open desk's heartbeat says", async () => {
    const t = await newTenant({ agents: 1 });
    const agent = t.agents[0]!;
    await makeReady(agent);
    await callJson("/video-calls/agents/status", { token: agent.token, json: { status: "offline" } });
    const beat = await callJson("/agents/heartbeat", { token: agent.token, json: { device_connected: true, current_status: "online" } });
    expect(beat.body.status).toBe("offline");
  });

  it("replies to heartbeats with readiness and gives managers statistics", async () => {
    const t = await newTenant({ agents: 2 });
    const reply = await makeReady(t.agents[0]!);
    expect(reply).toMatchObject({ status: "online", next_heartbeat_seconds: 30 });
    expect(reply.readiness_score).toBe(100);
    expect((await callJson("/agents/heartbeat/stats", { token: t.agents[0]!.token })).status).toBe(403);
    const { status, body } = await callJson("/agents/heartbeat/stats", { token: t.manager.token });
    expect(status).toBe(200);
    expect(body).toMatchObject({ agents_total: 3, agents_online: 1, fresh_heartbeats: 1, devices_connected: 1, ready_agents: 1 });
  });
});

describe("ageing and daily reset", () => {
  it("raises a waiting call's priority after AGE_ESCALATION_MINUTES", async () => {
    const t = await newTenant({ customers: 1 });
    const call = await queuedCall(t, t.customers[0]!, "low");
    expect(await runDurableObjectAlarm(coordinator(t))).toBe(true);
    const view = await callJson(`/video-calls/${call.call_id}`, { token: t.manager.token });
    expect(view.body).toMatchObject({ priority: "normal", initial_priority: "low" });
  });

  it("resets agents' daily call counts at midnight", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const agent = t.agents[0]!;
    await makeReady(agent);
    const call = await queuedCall(t, t.customers[0]!);
    await callJson(`/video-calls/${call.call_id}/accept`, { token: agent.token, method: "POST" });
    await callJson(`/video-calls/${call.call_id}/start`, { token: agent.token, method: "POST" });
    const done = await coordinator(t).complete({ callId: call.call_id, actor: { userId: agent.id, manage: false } });
    expect(done.ok).toBe(true);
    const countToday = async () =>
      (await callJson("/video-calls/agents/availability", { token: t.manager.token })).body.agents.find(
        (a: { agent_id: string }) => a.agent_id === agent.id,
      ).total_calls_today;
    expect(await countToday()).toBe(1);
    const { dailyReset } = await import("../../../worker/scheduled.ts");
    await dailyReset(env);
    expect(await countToday()).toBe(0);
  });
});

describe("durability and isolation", () => {
  it("keeps every waiting call and reservation when the coordinator is evicted", async () => {
    const t = await newTenant({ agents: 1, customers: 2 });
    await makeReady(t.agents[0]!);
    const offered = await queuedCall(t, t.customers[0]!, "high");
    const waiting = await queuedCall(t, t.customers[1]!, "low");
    const before = await callJson("/video-calls/pending", { token: t.manager.token });
    await evictDurableObject(coordinator(t));
    const after = await callJson("/video-calls/pending", { token: t.manager.token });
    expect(after.body.pending_calls.map((c: { id: string }) => c.id)).toEqual([offered.call_id, waiting.call_id]);
    expect(after.body.pending_calls[0].offered_to).toBe(t.agents[0]!.id);
    expect(after.body.pending_calls[0].offer_expires_at).toBe(before.body.pending_calls[0].offer_expires_at);
  });

  it("never shows a tenant's call to another tenant's agents", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const other = await newTenant({ agents: 1 });
    await makeReady(other.agents[0]!);
    const otherSocket = await openSocket("/video-calls/ws", other.agents[0]!.token);
    await otherSocket.next("initial_state");
    const call = await queuedCall(t, t.customers[0]!);
    expect(await pendingIds(other.agents[0]!.token)).toEqual([]);
    expect((await callJson(`/video-calls/${call.call_id}`, { token: other.manager.token })).status).toBe(404);
    expect((await callJson(`/video-calls/${call.call_id}/accept`, { token: other.agents[0]!.token, method: "POST" })).status).toBe(404);
    // Our own agent hears of the call; the other tenant's socket heard nothing about it.
    const ours = await openSocket("/video-calls/ws", t.agents[0]!.token);
    expect((await ours.next("initial_state")).pending_calls.map((c: { id: string }) => c.id)).toEqual([call.call_id]);
    expect(JSON.stringify(otherSocket.messages)).not.toContain(call.call_id);
    otherSocket.close();
    ours.close();
  });
});
