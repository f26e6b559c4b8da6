// Waiting-room and agent sockets, route validation and the D1 record of the queue.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson } from "../support/api.ts";
import { uploadDocument } from "../support/factories.ts";
import { coordinator, makeReady, openSocket, queuedCall } from "../support/queue.ts";
import { newTenant } from "../support/tenant.ts";

describe("customer waiting room", () => {
  it("tells the customer their place, moves it as the queue moves, then names the agent", async () => {
    const t = await newTenant({ agents: 1, customers: 2 });
    const ahead = await queuedCall(t, t.customers[0]!, "high");
    const mine = await queuedCall(t, t.customers[1]!, "normal");
    const room = await openSocket(`/video-calls/${mine.call_id}/ws`, t.customers[1]!.token);
    expect(await room.next("position_update")).toMatchObject({ position_in_queue: 2, priority: "normal" });

    await callJson(`/video-calls/${ahead.call_id}/cancel`, { token: t.customers[0]!.token, method: "POST" });
    await room.next("position_update", (m) => m.position_in_queue === 1);

    await makeReady(t.agents[0]!);
    await callJson(`/video-calls/${mine.call_id}/accept`, { token: t.agents[0]!.token, method: "POST" });
    expect(await room.next("call_assigned")).toEqual({ type: "call_assigned", agent_name: t.agents[0]!.name });
    await callJson(`/video-calls/${mine.call_id}/start`, { token: t.agents[0]!.token, method: "POST" });
    const started = await room.next("call_started");
    expect(started.room_ws_url).toBe(`/api/v1/rooms/${started.session_id}/ws`);
    room.close();
  });

  it("keeps other customers out of a waiting room (404)", async () => {
    const t = await newTenant({ customers: 2 });
    const call = await queuedCall(t, t.customers[0]!);
    const res = await callJson(`/video-calls/${call.call_id}/ws?token=${t.customers[1]!.token}`, { headers: { Upgrade: "websocket" } });
    expect(res.status).toBe(404);
  });

  it("answers a plain GET on a socket route with 426", async () => {
    const t = await newTenant({ agents: 1 });
    const res = await callJson("/video-calls/ws", { token: t.agents[0]!.token });
    expect(res.status).toBe(426);
    expect(res.body.error.code).toBe("upgrade_required");
  });
});

describe("agent socket", () => {
  it("answers unknown and malformed messages with an error and stays open", async () => {
    const t = await newTenant({ agents: 1 });
    const socket = await openSocket("/video-calls/ws", t.agents[0]!.token);
    await socket.next("initial_state");
    socket.send({ type: "dance" });
    expect(await socket.next("error")).toMatchObject({ code: "unknown_message_type", request_type: "dance" });
    socket.send("not json at all");
    await socket.next("error", (m) => m.code === "invalid_json");
    socket.send({ type: "accept" });
    await socket.next("error", (m) => m.code === "invalid_message");
    socket.send({ type: "accept", call_id: "no-such-call" });
    await socket.next("error", (m) => m.code === "not_found");
    socket.send({ type: "ping" });
    await socket.next("pong");
    expect(socket.closed).toBe(false);
    socket.close();
  });

  it("takes status updates and heartbeats over the socket", async () => {
    const t = await newTenant({ agents: 1 });
    const agent = t.agents[0]!;
    const manager = await openSocket("/video-calls/ws", t.manager.token);
    await manager.next("initial_state");
    const socket = await openSocket("/video-calls/ws", agent.token);
    await socket.next("initial_state");
    socket.send({ type: "status_update", status: "online" });
    expect((await manager.next("agent_status_changed", (m) => m.agent.agent_id === agent.id)).agent.status).toBe("online");
    socket.send({ type: "heartbeat", device_connected: true });
    expect(await socket.next("heartbeat_ack")).toMatchObject({ status: "online", readiness_score: 100 });
    socket.close();
    manager.close();
  });

  it("shows managers every active call and who took each", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const manager = await openSocket("/video-calls/ws", t.manager.token);
    await manager.next("initial_state");
    await makeReady(t.agents[0]!);
    const call = await queuedCall(t, t.customers[0]!);
    await callJson(`/video-calls/${call.call_id}/accept`, { token: t.agents[0]!.token, method: "POST" });
    expect((await manager.next("call_taken")).call).toMatchObject({
      id: call.call_id,
      assigned_agent_id: t.agents[0]!.id,
      assigned_agent_name: t.agents[0]!.name,
    });
    const again = await openSocket("/video-calls/ws", t.manager.token);
    expect((await again.next("initial_state")).active_calls.map((c: { id: string }) => c.id)).toEqual([call.call_id]);
    const agentSocket = await openSocket("/video-calls/ws", t.agents[0]!.token);
    expect((await agentSocket.next("initial_state")).active_calls).toBeUndefined();
    manager.close();
    again.close();
    agentSocket.close();
  });

  it("names a call after the name the customer gave for the verification", async () => {
    const t = await newTenant({ customers: 1 });
    const customer = t.customers[0]!;
    const created = await callJson("/verifications", { token: customer.token, json: { user_info: { name: "Ada Lovelace" } } });
    await uploadDocument(customer.token, created.body.id);
    const queued = await callJson("/video-calls/queue", { token: customer.token, json: { verification_id: created.body.id } });
    expect((await callJson(`/video-calls/${queued.body.call_id}`, { token: t.manager.token })).body.user_name).toBe("Ada Lovelace");
  });

  it("broadcasts new calls and queue totals to staff", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const socket = await openSocket("/video-calls/ws", t.it.token);
    await socket.next("initial_state");
    const call = await queuedCall(t, t.customers[0]!, "urgent");
    expect((await socket.next("new_call")).call).toMatchObject({ id: call.call_id, priority: "urgent" });
    expect(await socket.next("queue_update")).toMatchObject({ total_pending: 1, by_priority: { urgent: 1, high: 0, normal: 0, low: 0 } });
    socket.close();
  });
});

describe("queue routes", () => {
  it("queues a customer's own request as urgent and refuses them other priorities", async () => {
    const t = await newTenant({ customers: 1 });
    const customer = t.customers[0]!;
    const created = await callJson("/verifications", { token: customer.token, json: {} });
    await uploadDocument(customer.token, created.body.id);
    const low = await callJson("/video-calls/queue", {
      token: customer.token,
      json: { verification_id: created.body.id, priority: "low" },
    });
    expect(low.status).toBe(403);
    const queued = await callJson("/video-calls/queue", { token: customer.token, json: { verification_id: created.body.id } });
    expect(queued.status).toBe(201);
    expect(queued.body.priority).toBe("urgent");
  });

  it("submits a verification that was not submitted yet, and refuses one without documents", async () => {
    const t = await newTenant({ customers: 1 });
    const customer = t.customers[0]!;
    const empty = await callJson("/verifications", { token: customer.token, json: {} });
    const refused = await callJson("/video-calls/queue", { token: customer.token, json: { verification_id: empty.body.id } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("no_documents");

    const created = await callJson("/verifications", { token: customer.token, json: {} });
    await uploadDocument(customer.token, created.body.id);
    expect((await callJson("/video-calls/queue", { token: customer.token, json: { verification_id: created.body.id } })).status).toBe(201);
    const { body } = await callJson(`/verifications/${created.body.id}`, { token: t.manager.token });
    expect(body.status).toBe("pending_video_call");
    expect(body.fraud_analysis).not.toBeNull();
    expect(body.submitted_at).not.toBeNull();
    expect(body.anchors.map((a: { kind: string }) => a.kind)).toContain("verification_submitted");
  });

  it("refuses to queue a verification its last call approved, even before D1 shows it", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    await makeReady(t.agents[0]!);
    const call = await queuedCall(t, t.customers[0]!);
    await callJson(`/video-calls/${call.call_id}/accept`, { token: t.agents[0]!.token, method: "POST" });
    await callJson(`/video-calls/${call.call_id}/start`, { token: t.agents[0]!.token, method: "POST" });
    const done = await callJson(`/video-calls/${call.call_id}/complete`, {
      token: t.agents[0]!.token,
      json: { call_notes: "fine", verification_result: "approved" },
    });
    expect(done.status).toBe(200);
    const again = await coordinator(t).enqueue({
      tenantId: t.id,
      callId: crypto.randomUUID(),
      verificationId: call.verification_id,
      customerId: t.customers[0]!.id,
      userName: "x",
      priority: "urgent",
      fraudScore: null,
      documents: [],
    });
    expect(again).toMatchObject({ ok: false, error: { status: 409, code: "verification_closed" } });
  });

  it("answers actions on a call that already ended with 409, not 404", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const call = await queuedCall(t, t.customers[0]!);
    expect((await callJson(`/video-calls/${call.call_id}/cancel`, { token: t.customers[0]!.token, method: "POST" })).status).toBe(200);
    for (const [who, action] of [
      [t.customers[0]!, "cancel"],
      [t.agents[0]!, "accept"],
      [t.agents[0]!, "reject"],
      [t.manager, "assign"],
      [t.manager, "start"],
    ] as const) {
      const res = await callJson(`/video-calls/${call.call_id}/${action}`, {
        token: who.token,
        method: "POST",
        ...(action === "assign" ? { json: {} } : {}),
      });
      expect(res.status, action).toBe(409);
      expect(res.body.error.code, action).toBe("call_already_closed");
    }
  });

  it("keeps one open call per verification (409)", async () => {
    const t = await newTenant({ customers: 1 });
    const call = await queuedCall(t, t.customers[0]!);
    const again = await callJson("/video-calls/queue", {
      token: t.manager.token,
      json: { verification_id: call.verification_id, priority: "high" },
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "call_already_open", details: { call_id: call.call_id } });
  });

  it("validates every input and names the bad fields", async () => {
    const t = await newTenant({ agents: 1 });
    const agent = t.agents[0]!;
    const cases: Array<[string, Parameters<typeof callJson>[1], string]> = [
      ["/video-calls/queue", { token: t.manager.token, json: { priority: "asap" } }, "verification_id"],
      ["/video-calls/queue", { token: t.manager.token, json: { verification_id: "x", priority: "asap" } }, "priority"],
      ["/video-calls/pending?limit=0", { token: agent.token }, "limit"],
      ["/video-calls/pending?priority_min=top", { token: agent.token }, "priority_min"],
      ["/video-calls/agents/status", { token: agent.token, json: { status: "sleeping" } }, "status"],
      ["/video-calls/agents/status", { token: agent.token, json: { status: "online", max_concurrent_calls: 0 } }, "max_concurrent_calls"],
      ["/agents/heartbeat", { token: agent.token, json: { device_connected: "yes" } }, "device_connected"],
      ["/video-calls/settings", { token: t.manager.token, json: { assignment_strategy: "random" } }, "assignment_strategy"],
    ];
    for (const [path, init, field] of cases) {
      const { status, body } = await callJson(path, init);
      expect(status, path).toBe(400);
      expect(body.error.details, path).toHaveProperty([field]);
    }
  });

  it("lets only managers assign, and only to people who can take calls", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const call = await queuedCall(t, t.customers[0]!);
    expect((await callJson(`/video-calls/${call.call_id}/assign`, { token: t.agents[0]!.token, json: {} })).status).toBe(403);
    const toCustomer = await callJson(`/video-calls/${call.call_id}/assign`, {
      token: t.manager.token,
      json: { agent_id: t.customers[0]!.id },
    });
    expect(toCustomer.status).toBe(409);
    await makeReady(t.agents[0]!);
    const other = await newTenant({ agents: 1 });
    const foreign = await callJson(`/video-calls/${call.call_id}/assign`, {
      token: t.manager.token,
      json: { agent_id: other.agents[0]!.id },
    });
    expect(foreign.status).toBe(404);
    const assigned = await callJson(`/video-calls/${call.call_id}/assign`, { token: t.manager.token, json: { agent_id: t.agents[0]!.id } });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ assigned_agent_id: t.agents[0]!.id });
  });

  it("starts a tenant's coordinator with the strategy its settings hold", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    await env.DB.prepare("UPDATE tenants SET settings = ? WHERE id = ?").bind('{"assignment_strategy":"longest-idle"}', t.id).run();
    await queuedCall(t, t.customers[0]!);
    expect((await coordinator(t).summary()).strategy).toBe("longest-idle");
  });

  it("switches the tenant's assignment strategy", async () => {
    const t = await newTenant({ agents: 2, customers: 1 });
    const res = await callJson("/video-calls/settings", { token: t.manager.token, json: { assignment_strategy: "fewest-calls" } });
    expect(res.status).toBe(200);
    expect((await coordinator(t).summary()).strategy).toBe("fewest-calls");
  });
});

describe("D1 record", () => {
  it("records the call, its offers and the verification's status through the outbox", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const agent = t.agents[0]!;
    await makeReady(agent);
    const call = await queuedCall(t, t.customers[0]!, "high");
    await callJson(`/video-calls/${call.call_id}/accept`, { token: agent.token, method: "POST" });
    await coordinator(t).flushOutbox();
    const row = await env.DB.prepare("SELECT * FROM video_calls WHERE id = ?").bind(call.call_id).first<Record<string, unknown>>();
    expect(row).toMatchObject({ tenant_id: t.id, status: "assigned", agent_id: agent.id, priority: "high", initial_priority: "high" });
    expect(row!.first_offered_at).not.toBeNull();
    const offers = await env.DB.prepare("SELECT agent_id, outcome FROM call_offers WHERE call_id = ?").bind(call.call_id).all();
    expect(offers.results).toEqual([{ agent_id: agent.id, outcome: "accepted" }]);
    const verification = await callJson(`/verifications/${call.verification_id}`, { token: t.customers[0]!.token });
    expect(verification.body).toMatchObject({ status: "pending_video_call", call_id: call.call_id });
  });
});
