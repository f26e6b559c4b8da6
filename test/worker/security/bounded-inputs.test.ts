// Every socket caps its frames and refuses binary or unknown frames with an error message (and
// stays open); signals stored for the polling fallback do not outlive their call.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson, ORIGIN } from "../support/api.ts";
import { openSocket, TestSocket } from "../support/queue.ts";
import { newTenant } from "../support/tenant.ts";

async function expectRefusals(socket: TestSocket, maxBytes: number) {
  socket.ws.send(new Uint8Array([1, 2, 3]).buffer);
  expect((await socket.next("error", (m) => m.code === "binary_not_supported")).message).toMatch(/JSON text/);
  socket.send(JSON.stringify({ type: "ping", pad: "x".repeat(maxBytes) }));
  await socket.next("error", (m) => m.code === "frame_too_large");
  socket.send({ type: "launch_missiles" });
  await socket.next("error", (m) => m.code === "unknown_message_type");
  // Still open and answering.
  socket.send({ type: "ping" });
  await socket.next("pong");
  expect(socket.closed).toBe(false);
}

describe("socket frames", () => {
  it("are bounded on the agent socket, the dashboard socket and the direct-call socket", async () => {
    const t = await newTenant({ agents: 1, customers: 0 });
    const desk = await openSocket("/video-calls/ws", t.agents[0]!.token);
    await desk.next("initial_state");
    await expectRefusals(desk, 16 * 1024);
    desk.close();
    const direct = await openSocket("/call/ws", t.agents[0]!.token);
    await direct.next("connected");
    await expectRefusals(direct, 16 * 1024);
    direct.close();
    const dashboard = await openSocket("/dashboard/ws", t.manager.token);
    await dashboard.next("initial_state");
    dashboard.ws.send(new Uint8Array([1]).buffer);
    await dashboard.next("error", (m) => m.code === "binary_not_supported");
    dashboard.send(JSON.stringify({ type: "subscribe", stream: "x".repeat(20_000) }));
    await dashboard.next("error", (m) => m.code === "frame_too_large");
    dashboard.close();
  });

  it("are bounded in call rooms (64 KiB, text only)", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const [caller, callee] = [t.customers[0]!, t.agents[0]!];
    await callJson("/status/heartbeat", { token: callee.token, method: "POST" });
    const rung = await callJson("/call/initiate", { token: caller.token, json: { callee_id: callee.id } });
    const res = await exports.default.fetch(`${ORIGIN}/api/v1/rooms/${rung.body.session_id}/ws`, {
      headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": `verifyid.v1, bearer.${caller.token}` },
    });
    expect(res.status).toBe(101);
    const room = new TestSocket(res.webSocket!);
    await room.next("room_state");
    room.ws.send(new Uint8Array([1, 2]).buffer);
    await room.next("error", (m) => m.code === "binary_not_supported");
    room.send(JSON.stringify({ type: "offer", sdp: "x".repeat(70 * 1024) }));
    await room.next("error", (m) => m.code === "frame_too_large");
    room.close();
  });
});

describe("stored signals", () => {
  it("are dropped once their call ends, and at most 200 wait for one side", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const [caller, callee] = [t.customers[0]!, t.agents[0]!];
    await callJson("/status/heartbeat", { token: callee.token, method: "POST" });
    const rung = await callJson("/call/initiate", { token: caller.token, json: { callee_id: callee.id } });
    const send = () =>
      callJson("/call/signal", { token: caller.token, json: { call_id: rung.body.call_id, signal: { type: "ice", candidate: "c" } } });
    for (let i = 0; i < 200; i++) expect((await send()).status).toBe(200);
    const over = await send();
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe("too_many_signals");
    expect((await callJson("/call/hangup", { token: caller.token, json: { call_id: rung.body.call_id } })).status).toBe(200);
    const left = await callJson(`/call/signals?call_id=${rung.body.call_id}`, { token: callee.token });
    expect(left.body.signals).toEqual([]);
    const stored = await env.DIRECT_CALL_DESK.getByName(t.id).takeSignals(rung.body.call_id, callee.id);
    expect(stored).toEqual({ ok: true, value: [] });
  });
});
