// Direct voice calls, seed 003's checklist: success, busy, offline, missed after the ring
// timeout, simultaneous calls (first wins), missed calls listed and marked seen, history.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson } from "../support/api.ts";
import { makeReady, openSocket, presence, queuedCall } from "../support/queue.ts";
import { newTenant, type TestUser } from "../support/tenant.ts";

const desk = (tenantId: string) => env.DIRECT_CALL_DESK.getByName(tenantId);
const beat = (user: TestUser) => callJson("/status/heartbeat", { token: user.token, method: "POST" });
const initiate = (from: TestUser, to: TestUser) => callJson("/call/initiate", { token: from.token, json: { callee_id: to.id } });
const act = (user: TestUser, action: string, callId: string) =>
  callJson(`/call/${action}`, { token: user.token, json: { call_id: callId } });
const statusOf = async (viewer: TestUser, user: TestUser) =>
  (await callJson(`/status/user/${user.id}`, { token: viewer.token })).body.status;

describe("direct calls", () => {
  it("connects a call, shows both in a call, and records it in the history", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const [caller, callee] = [t.customers[0]!, t.agents[0]!];
    await beat(caller);
    const calleeEvents = await openSocket("/call/ws", callee.token);
    await calleeEvents.next("connected");
    const callerEvents = await openSocket("/call/ws", caller.token);

    const rung = await initiate(caller, callee);
    expect(rung.status).toBe(201);
    expect(rung.body).toMatchObject({ status: "ringing", caller_id: caller.id, callee_id: callee.id });
    expect(rung.body.session_id).toBeTruthy();
    expect((await calleeEvents.next("incoming_call")).call.call_id).toBe(rung.body.call_id);

    expect((await act(callee, "answer", rung.body.call_id)).body.status).toBe("answered");
    expect((await callerEvents.next("call_answered")).call.status).toBe("answered");
    expect(await statusOf(callee, caller)).toBe("in_call");
    expect(await statusOf(caller, callee)).toBe("in_call");

    // The two meet in the call's room.
    const room = await openSocket(`/rooms/${rung.body.session_id}/ws`, caller.token);
    expect((await room.next("room_state")).you).toMatchObject({ role: "caller" });
    room.close();

    expect((await act(caller, "hangup", rung.body.call_id)).body.status).toBe("ended");
    expect((await calleeEvents.next("call_ended")).call.end_reason).toBe("caller_hung_up");
    const history = await callJson(`/call/history?with=${callee.id}`, { token: caller.token });
    expect(history.body.items).toHaveLength(1);
    expect(history.body.items[0]).toMatchObject({ call_id: rung.body.call_id, status: "ended" });
    expect(history.body.items[0].duration_seconds).toBeGreaterThanOrEqual(0);
    calleeEvents.close();
    callerEvents.close();
  });

  it("answers busy when the callee is already on a call, and logs it as missed for them", async () => {
    const t = await newTenant({ agents: 1, customers: 2 });
    const [first, second, callee] = [t.customers[0]!, t.customers[1]!, t.agents[0]!];
    await Promise.all([beat(first), beat(second), beat(callee)]);
    const call = await initiate(first, callee);
    await act(callee, "answer", call.body.call_id);
    const busy = await initiate(second, callee);
    expect(busy.status).toBe(200);
    expect(busy.body.status).toBe("busy");
    const missed = await callJson("/call/missed", { token: callee.token });
    expect(missed.body.items.map((c: { call_id: string }) => c.call_id)).toContain(busy.body.call_id);
  });

  it("answers busy for an agent in a video call", async () => {
    const t = await newTenant({ agents: 1, customers: 2 });
    const agent = t.agents[0]!;
    await makeReady(agent);
    await beat(agent);
    const video = await queuedCall(t, t.customers[1]!);
    await callJson(`/video-calls/${video.call_id}/accept`, { token: agent.token, method: "POST" });
    await beat(t.customers[0]!);
    expect((await initiate(t.customers[0]!, agent)).body.status).toBe("busy");
  });

  it("answers offline for a callee without a heartbeat in the last 30 seconds", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    await beat(t.customers[0]!);
    const res = await initiate(t.customers[0]!, t.agents[0]!);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "offline", session_id: null });
    expect(await statusOf(t.customers[0]!, t.agents[0]!)).toBe("offline");
  });

  it("answers online for an agent at the video desk (heartbeat or staff socket) without a heartbeat here", async () => {
    const t = await newTenant({ agents: 2, customers: 1 });
    const [beating, connected] = [t.agents[0]!, t.agents[1]!];
    const customer = t.customers[0]!;
    await beat(customer);
    await makeReady(beating);
    expect(await statusOf(customer, beating)).toBe("online");
    const staff = await openSocket("/video-calls/ws", connected.token);
    await staff.next("initial_state");
    expect(await statusOf(customer, connected)).toBe("online");
    const rung = await initiate(customer, beating);
    expect(rung.status).toBe(201);
    await act(customer, "hangup", rung.body.call_id);
    staff.close();

    // The queue's rule: a stale heartbeat is still there, an offline one is gone.
    expect(await runDurableObjectAlarm(presence(t, beating))).toBe(true);
    expect(await statusOf(customer, beating)).toBe("online");
    expect(await runDurableObjectAlarm(presence(t, beating))).toBe(true);
    expect(await statusOf(customer, beating)).toBe("offline");
  });

  it("turns an unanswered call into a missed call after the ring time", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const [caller, callee] = [t.customers[0]!, t.agents[0]!];
    await Promise.all([beat(caller), beat(callee)]);
    const callerEvents = await openSocket("/call/ws", caller.token);
    const rung = await initiate(caller, callee);
    expect(await runDurableObjectAlarm(desk(t.id))).toBe(true);
    expect((await callerEvents.next("call_missed")).call).toMatchObject({
      call_id: rung.body.call_id,
      status: "missed",
      end_reason: "no_answer",
    });
    expect((await act(callee, "answer", rung.body.call_id)).status).toBe(409);
    callerEvents.close();
  });

  it("lets the first of two simultaneous calls to one callee ring; the other is busy", async () => {
    const t = await newTenant({ agents: 1, customers: 2 });
    const callee = t.agents[0]!;
    await Promise.all([beat(callee), ...t.customers.map(beat)]);
    const results = await Promise.all(t.customers.map((c) => initiate(c, callee)));
    expect(results.map((r) => r.body.status).sort()).toEqual(["busy", "ringing"]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 201]);
  });

  it("lists missed calls and marks them seen", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const [caller, callee] = [t.customers[0]!, t.agents[0]!];
    await beat(caller);
    const offline = await initiate(caller, callee);
    await beat(callee);
    const rung = await initiate(caller, callee);
    await act(caller, "hangup", rung.body.call_id);
    const before = await callJson("/call/missed", { token: callee.token });
    expect(before.body.unseen).toBe(2);
    expect(before.body.items.map((c: { call_id: string }) => c.call_id)).toEqual([rung.body.call_id, offline.body.call_id]);
    const seen = await callJson(`/call/mark-seen/${offline.body.call_id}`, { token: callee.token, method: "POST" });
    expect(seen.body.seen).toBe(true);
    expect((await callJson("/call/missed", { token: callee.token })).body.unseen).toBe(1);
    expect((await callJson(`/call/mark-seen/${offline.body.call_id}`, { token: caller.token, method: "POST" })).status).toBe(404);
  });

  it("lets the callee reject, and tells the caller", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const [caller, callee] = [t.customers[0]!, t.agents[0]!];
    await Promise.all([beat(caller), beat(callee)]);
    const callerEvents = await openSocket("/call/ws", caller.token);
    const rung = await initiate(caller, callee);
    expect((await act(caller, "answer", rung.body.call_id)).status).toBe(403);
    expect((await act(callee, "reject", rung.body.call_id)).body.status).toBe("rejected");
    await callerEvents.next("call_rejected");
    callerEvents.close();
  });

  it("passes signals through the polling fallback, each once", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const [caller, callee] = [t.customers[0]!, t.agents[0]!];
    await Promise.all([beat(caller), beat(callee)]);
    const rung = await initiate(caller, callee);
    const offer = { type: "offer", sdp: "v=0 offer" };
    expect((await callJson("/call/signal", { token: caller.token, json: { call_id: rung.body.call_id, signal: offer } })).status).toBe(200);
    const first = await callJson(`/call/signals?call_id=${rung.body.call_id}`, { token: callee.token });
    expect(first.body.signals).toEqual([offer]);
    expect((await callJson(`/call/signals?call_id=${rung.body.call_id}`, { token: callee.token })).body.signals).toEqual([]);
    const bad = await callJson("/call/signal", { token: caller.token, json: { call_id: rung.body.call_id, signal: { type: "smoke" } } });
    expect(bad.status).toBe(400);
  });

  it("records finished calls in D1 and the audit log's queue", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    await beat(t.customers[0]!);
    const offline = await initiate(t.customers[0]!, t.agents[0]!);
    await desk(t.id).flushOutbox();
    expect(await env.DB.prepare("SELECT status FROM direct_calls WHERE id = ?").bind(offline.body.call_id).first()).toEqual({
      status: "offline",
    });
    expect(
      await env.DB.prepare("SELECT kind FROM audit_records WHERE id = ?").bind(`direct_call:${offline.body.call_id}:ended`).first(),
    ).toEqual({ kind: "direct_call_ended" });
  });

  it("ends an answered call left open past the maximum length", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const [caller, callee] = [t.customers[0]!, t.agents[0]!];
    await Promise.all([beat(caller), beat(callee)]);
    const rung = await initiate(caller, callee);
    await act(callee, "answer", rung.body.call_id);
    expect(await runDurableObjectAlarm(desk(t.id))).toBe(true);
    expect((await callJson(`/call/${rung.body.call_id}`, { token: caller.token })).body).toMatchObject({
      status: "ended",
      end_reason: "timeout",
    });
    await beat(caller);
    expect(await statusOf(callee, caller)).toBe("online");
  });

  it("lets customers call staff but not other customers", async () => {
    const t = await newTenant({ agents: 1, customers: 2 });
    const [me, other, agent] = [t.customers[0]!, t.customers[1]!, t.agents[0]!];
    await Promise.all([beat(me), beat(other), beat(agent)]);
    expect((await initiate(me, other)).status).toBe(404);
    expect((await callJson(`/status/user/${other.id}`, { token: me.token })).status).toBe(404);
    expect((await callJson(`/status/user/${agent.id}`, { token: me.token })).body.status).toBe("online");
    // Staff may call a customer back.
    expect((await initiate(agent, me)).status).toBe(201);
  });

  it("validates inputs and refuses calling yourself or a stranger", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const me = t.customers[0]!;
    await beat(me);
    expect((await callJson("/call/initiate", { token: me.token, json: {} })).status).toBe(400);
    expect((await initiate(me, me)).status).toBe(409);
    const other = await newTenant({ agents: 1 });
    expect((await initiate(me, other.agents[0]!)).status).toBe(404);
    expect((await callJson("/status/update", { token: me.token, json: { status: "dancing" } })).status).toBe(400);
    expect((await callJson("/status/update", { token: me.token, json: { status: "busy" } })).body.status).toBe("busy");
  });
});
