// Who hears a queue change, and when (issue 9): the offered agent and managers at once; other
// agents' pending lists as a coalesced digest, so a call offered and taken between two digests
// sends bystanders nothing, however many there are.
import { describe, expect, it } from "vitest";
import { TEST_BINDINGS } from "../../bindings.ts";
import { callJson } from "../support/api.ts";
import { makeReady, openSocket, queuedCall, type TestSocket } from "../support/queue.ts";
import { newTenant } from "../support/tenant.ts";

const DIGEST_MS = Number(TEST_BINDINGS.STAFF_DIGEST_INTERVAL_MS);
const settle = () => new Promise((done) => setTimeout(done, 2 * DIGEST_MS + 100));
const aboutCall = (socket: TestSocket, callId: string) =>
  socket.messages.filter((m) => m.call_id === callId || m.call?.id === callId).map((m) => m.type);

describe("staff sockets", () => {
  it("tell the offered agent and managers at once, and bystanders nothing of a call taken between two digests", async () => {
    const t = await newTenant({ agents: 4, customers: 1 });
    const [taker, ...others] = t.agents;
    const manager = await openSocket("/video-calls/ws", t.manager.token);
    const desk = await openSocket("/video-calls/ws", taker!.token);
    const bystanders = await Promise.all(others.map((a) => openSocket("/video-calls/ws", a.token)));
    for (const s of [manager, desk, ...bystanders]) await s.next("initial_state");
    await makeReady(taker!);

    const call = await queuedCall(t, t.customers[0]!);
    const offer = await desk.next("call_offered", (m) => m.call_id === call.call_id);
    expect(offer.call.id).toBe(call.call_id);
    const accepted = await callJson(`/video-calls/${call.call_id}/accept`, { token: taker!.token, method: "POST" });
    expect(accepted.status).toBe(200);
    expect((await desk.next("call_assigned")).call.id).toBe(call.call_id);
    // Managers watch every call: they hear it come and go as it happens.
    await manager.next("new_call", (m) => m.call.id === call.call_id);
    await manager.next("call_taken", (m) => m.call_id === call.call_id);

    await settle();
    for (const b of bystanders) expect(aboutCall(b, call.call_id)).toEqual([]);
    for (const s of [manager, desk, ...bystanders]) s.close();
  });

  it("give bystanders a waiting call within a digest, its end when it is taken, and the queue totals", async () => {
    const t = await newTenant({ agents: 2, customers: 2 });
    const [taker, bystander] = t.agents;
    const watching = await openSocket("/video-calls/ws", bystander!.token);
    await watching.next("initial_state");

    // Nobody online: the call waits, so it is news to everyone's pending list.
    const call = await queuedCall(t, t.customers[0]!, "high");
    expect((await watching.next("new_call", (m) => m.call.id === call.call_id, 3 * DIGEST_MS)).call).toMatchObject({ priority: "high" });
    expect(await watching.next("queue_update", (m) => m.total_pending === 1)).toMatchObject({ by_priority: { high: 1 } });

    await makeReady(taker!);
    await callJson(`/video-calls/${call.call_id}/accept`, { token: taker!.token, method: "POST" });
    await watching.next("call_taken", (m) => m.call_id === call.call_id, 3 * DIGEST_MS);
    await watching.next("queue_update", (m) => m.total_pending === 0, 3 * DIGEST_MS);
    // A later start and completion are the taker's and managers' business, not the bystander's.
    await callJson(`/video-calls/${call.call_id}/start`, { token: taker!.token, method: "POST" });
    await settle();
    expect(aboutCall(watching, call.call_id)).toEqual(["new_call", "call_taken"]);
    watching.close();
  });

  it("coalesce a burst: each bystander hears each waiting call once, not once per change", async () => {
    const t = await newTenant({ agents: 1, customers: 6 });
    const watching = await openSocket("/video-calls/ws", t.agents[0]!.token);
    await watching.next("initial_state");
    const calls = [];
    for (const c of t.customers) calls.push(await queuedCall(t, c));
    await settle();
    for (const call of calls) expect(aboutCall(watching, call.call_id)).toEqual(["new_call"]);
    // The totals were sent per digest, not per call, and each digest was one frame.
    const updates = watching.all("queue_update");
    expect(updates.at(-1)).toMatchObject({ total_pending: calls.length });
    expect(updates.length).toBeLessThan(calls.length);
    const digests = watching.frames.filter((f) => f.type === "queue_digest" || f.type === "new_call" || f.type === "queue_update");
    expect(digests.length).toBeLessThanOrEqual(updates.length);
    watching.close();
  });
});
