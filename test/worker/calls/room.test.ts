// The call room: only the session's two people, signalling relayed verbatim, presence and
// hang-up reach the other side, and a reconnecting participant gets the current state.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson } from "../support/api.ts";
import { makeReady, openSocket, queuedCall } from "../support/queue.ts";
import { newTenant, type TestTenant } from "../support/tenant.ts";

/** A started video call: its agent, customer and room session. */
async function startedCall(t: TestTenant) {
  const agent = t.agents[0]!;
  const customer = t.customers[0]!;
  await makeReady(agent);
  const call = await queuedCall(t, customer);
  expect((await callJson(`/video-calls/${call.call_id}/accept`, { token: agent.token, method: "POST" })).status).toBe(200);
  const started = await callJson(`/video-calls/${call.call_id}/start`, { token: agent.token, method: "POST" });
  expect(started.status).toBe(200);
  return {
    agent,
    customer,
    callId: call.call_id as string,
    session: started.body.session_id as string,
    roomPath: `/rooms/${started.body.session_id}/ws`,
    start: started.body,
  };
}

describe("call room", () => {
  it("gives both sides the room, ICE servers and each other's arrival", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const { agent, customer, roomPath, start } = await startedCall(t);
    expect(start.room_ws_url).toBe(`/api/v1${roomPath}`);
    expect(start.ice_servers.length).toBeGreaterThan(0);
    const agentSide = await openSocket(roomPath, agent.token);
    const state = await agentSide.next("room_state");
    expect(state).toMatchObject({ you: { user_id: agent.id, role: "agent" }, status: "waiting" });
    expect(state.participants.map((p: { user_id: string; connected: boolean }) => [p.user_id, p.connected])).toEqual([
      [agent.id, true],
      [customer.id, false],
    ]);
    const customerSide = await openSocket(roomPath, customer.token);
    expect((await customerSide.next("room_state")).participants.every((p: { connected: boolean }) => p.connected)).toBe(true);
    expect(await agentSide.next("peer_joined")).toMatchObject({ user_id: customer.id, role: "customer", name: customer.name });
    agentSide.close();
    customerSide.close();
  });

  it("relays offer, answer and ICE candidates verbatim to the other participant", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const { agent, customer, roomPath } = await startedCall(t);
    const a = await openSocket(roomPath, agent.token);
    const b = await openSocket(roomPath, customer.token);
    await a.next("peer_joined");
    const offer = '{"type":"offer","sdp":"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n","extra":{"kept":true}}';
    a.send(offer);
    await b.next("offer");
    expect(JSON.stringify(b.all("offer")[0])).toBe(JSON.stringify(JSON.parse(offer)));
    b.send({ type: "answer", sdp: "v=0 answer" });
    expect(await a.next("answer")).toEqual({ type: "answer", sdp: "v=0 answer" });
    const candidate = { candidate: "candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host", sdpMid: "0", sdpMLineIndex: 0 };
    a.send({ type: "ice_candidate", candidate });
    b.send({ type: "ice_candidate", candidate: { ...candidate, sdpMid: "1" } });
    expect((await b.next("ice_candidate")).candidate).toEqual(candidate);
    expect((await a.next("ice_candidate")).candidate.sdpMid).toBe("1");
    // The sender never hears its own frames back.
    expect(a.all("offer")).toEqual([]);
    a.close();
    b.close();
  });

  it("refuses anyone but the two participants (403)", async () => {
    const t = await newTenant({ agents: 2, customers: 2 });
    const { roomPath } = await startedCall(t);
    for (const outsider of [t.agents[1]!, t.customers[1]!, t.manager]) {
      const res = await callJson(`${roomPath}?token=${outsider.token}`, { headers: { Upgrade: "websocket" } });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("forbidden");
    }
    const other = await newTenant({ agents: 1 });
    expect((await callJson(`${roomPath}?token=${other.agents[0]!.token}`, { headers: { Upgrade: "websocket" } })).status).toBe(404);
    expect((await callJson(`/rooms/no-such-session/ws?token=${t.agents[0]!.token}`, { headers: { Upgrade: "websocket" } })).status).toBe(
      404,
    );
  });

  it("gives a reconnecting participant the current state, and tells the other they joined again (not that they left)", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const { agent, customer, roomPath } = await startedCall(t);
    const a = await openSocket(roomPath, agent.token);
    const b = await openSocket(roomPath, customer.token);
    await a.next("peer_joined");
    b.send({ type: "call_connected" });
    const again = await openSocket(roomPath, customer.token);
    const state = await again.next("room_state");
    expect(state.status).toBe("active");
    expect(state.timeline.map((e: { event: string }) => e.event)).toEqual(["joined", "joined", "connected", "joined"]);
    expect(state.participants.every((p: { connected: boolean }) => p.connected)).toBe(true);
    await a.next("peer_joined", () => a.all("peer_joined").length === 2);
    expect(a.all("peer_left")).toEqual([]);
    a.close();
    again.close();
  });

  it("tells the other side when someone hangs up or leaves", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const { agent, customer, roomPath } = await startedCall(t);
    const a = await openSocket(roomPath, agent.token);
    const b = await openSocket(roomPath, customer.token);
    await a.next("peer_joined");
    b.send({ type: "hangup", reason: "done" });
    expect(await a.next("hangup")).toEqual({ type: "hangup", user_id: customer.id, reason: "done" });
    b.close();
    expect(await a.next("peer_left")).toEqual({ type: "peer_left", user_id: customer.id, role: "customer" });
    a.close();
  });

  it("ends the room for both sides when the call is cancelled", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const { agent, customer, callId, roomPath, session } = await startedCall(t);
    const a = await openSocket(roomPath, agent.token);
    const b = await openSocket(roomPath, customer.token);
    await a.next("peer_joined");
    await callJson(`/video-calls/${callId}/cancel`, { token: t.manager.token, method: "POST" });
    expect(await a.next("hangup", (m) => m.user_id === "server")).toMatchObject({ reason: "staff_cancelled" });
    await b.next("hangup", (m) => m.user_id === "server");
    expect((await env.CALL_ROOM.getByName(session).summary())!.status).toBe("ended");
    expect((await callJson(`${roomPath}?token=${agent.token}`, { headers: { Upgrade: "websocket" } })).status).toBe(409);
  });

  it("answers bad frames with an error and keeps the socket open", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const { agent, roomPath } = await startedCall(t);
    const a = await openSocket(roomPath, agent.token);
    await a.next("room_state");
    a.send({ type: "offer", sdp: "alone" });
    expect((await a.next("error")).code).toBe("peer_not_connected");
    a.send({ type: "shout" });
    await a.next("error", (m) => m.code === "unknown_message_type");
    a.send({ type: "hangup", reason: 5 });
    await a.next("error", (m) => m.code === "invalid_message");
    a.send({ type: "offer", sdp: "x".repeat(70 * 1024) });
    await a.next("error", (m) => m.code === "frame_too_large");
    a.send({ type: "ping" });
    await a.next("pong");
    expect(a.closed).toBe(false);
    a.close();
  });
});
