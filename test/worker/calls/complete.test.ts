// Completing a video call: decision, notes hash, D1 record, audit record, exactly once.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson } from "../support/api.ts";
import { sha256Hex } from "../support/files.ts";
import { coordinator, makeReady, openSocket, queuedCall } from "../support/queue.ts";
import { newTenant, type TestTenant } from "../support/tenant.ts";

async function inCall(t: TestTenant, customerIndex = 0) {
  const agent = t.agents[0]!;
  await makeReady(agent);
  const call = await queuedCall(t, t.customers[customerIndex]!);
  await callJson(`/video-calls/${call.call_id}/accept`, { token: agent.token, method: "POST" });
  await callJson(`/video-calls/${call.call_id}/start`, { token: agent.token, method: "POST" });
  return { agent, callId: call.call_id as string, verificationId: call.verification_id as string };
}

const completion = (notes = "ID matches the face; passport valid until 2031.") => ({
  call_notes: notes,
  verification_result: "approved",
  reason_code: "IDENTITY_CONFIRMED",
  duration_seconds: 312,
});

describe("complete", () => {
  it("records the finished call and its decision in D1, the notes only as a hash in the audit record", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const { agent, callId, verificationId } = await inCall(t);
    const notes = "Customer showed passport; selfie matches.";
    const { status, body } = await callJson(`/video-calls/${callId}/complete`, { token: agent.token, json: completion(notes) });
    expect(status).toBe(200);
    expect(body.call_summary).toMatchObject({
      call_id: callId,
      decision: "approved",
      reason_code: "IDENTITY_CONFIRMED",
      duration_seconds: 312,
      notes_sha256: await sha256Hex(new TextEncoder().encode(notes)),
      agent_id: agent.id,
    });
    expect(body.audit).toEqual({ record_id: `video_call:${callId}:completed`, status: "queued" });

    await coordinator(t).flushOutbox();
    const row = await env.DB.prepare("SELECT status, decision, decision_reason, notes, notes_hash, duration_seconds, audit_record_id FROM video_calls WHERE id = ?").bind(callId).first();
    expect(row).toMatchObject({ status: "completed", decision: "approved", decision_reason: "IDENTITY_CONFIRMED", notes, notes_hash: body.call_summary.notes_sha256, duration_seconds: 312 });
    const record = await env.DB.prepare("SELECT kind, data FROM audit_records WHERE id = ?").bind(body.audit.record_id).first<{ kind: string; data: string }>();
    expect(record!.kind).toBe("video_call_completed");
    const leafInput = new TextDecoder().decode(Uint8Array.from(atob(record!.data), (ch) => ch.charCodeAt(0)));
    expect(leafInput).toContain(body.call_summary.notes_sha256);
    expect(leafInput).not.toContain("selfie matches");
    const verification = await callJson(`/verifications/${verificationId}`, { token: t.customers[0]!.token });
    expect(verification.body).toMatchObject({ status: "approved", decision: "approved", decision_reason: "IDENTITY_CONFIRMED" });
  });

  it("completes exactly once when the request is retried", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const { agent, callId } = await inCall(t);
    const first = await callJson(`/video-calls/${callId}/complete`, { token: agent.token, json: completion() });
    const retried = await Promise.all([1, 2].map(() => callJson(`/video-calls/${callId}/complete`, { token: agent.token, json: completion() })));
    for (const again of retried) {
      expect(again.status).toBe(200);
      expect(again.body.call_summary).toEqual(first.body.call_summary);
    }
    await coordinator(t).flushOutbox();
    const records = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_records WHERE subject_id = ?").bind(callId).first<{ n: number }>();
    expect(records!.n).toBe(1);
    const { body } = await callJson("/video-calls/agents/availability", { token: t.manager.token });
    expect(body.agents.find((a: { agent_id: string }) => a.agent_id === agent.id).total_calls_today).toBe(1);
  });

  it("frees the agent and offers the next call at once", async () => {
    const t = await newTenant({ agents: 1, customers: 2 });
    const { agent, callId } = await inCall(t, 0);
    const socket = await openSocket("/video-calls/ws", agent.token);
    await socket.next("initial_state");
    const next = await queuedCall(t, t.customers[1]!);
    await callJson(`/video-calls/${callId}/complete`, { token: agent.token, json: completion() });
    expect((await socket.next("call_offered")).call_id).toBe(next.call_id);
    socket.close();
  });

  it("tells the customer's waiting room the decision, and keeps it in the history", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const { agent, callId } = await inCall(t);
    const room = await openSocket(`/video-calls/${callId}/ws`, t.customers[0]!.token);
    await room.next("call_assigned");
    await callJson(`/video-calls/${callId}/complete`, { token: agent.token, json: { ...completion(), verification_result: "rejected", reason_code: "DOC_EXPIRED" } });
    expect(await room.next("call_completed")).toEqual({ type: "call_completed", call_id: callId, decision: "rejected", reason_code: "DOC_EXPIRED" });
    await coordinator(t).flushOutbox();
    const history = await callJson("/video-calls/history", { token: agent.token });
    expect(history.body.items[0]).toMatchObject({ id: callId, status: "completed", decision: "rejected", decision_reason: "DOC_EXPIRED" });
    room.close();
  });

  it("lets only the call's agent or a manager complete it", async () => {
    const t = await newTenant({ agents: 2, customers: 1 });
    const { callId } = await inCall(t);
    expect((await callJson(`/video-calls/${callId}/complete`, { token: t.agents[1]!.token, json: completion() })).status).toBe(403);
    expect((await callJson(`/video-calls/${callId}/complete`, { token: t.customers[0]!.token, json: completion() })).status).toBe(403);
    expect((await callJson(`/video-calls/${callId}/complete`, { token: t.manager.token, json: completion() })).status).toBe(200);
  });

  it("validates the decision and the reason code", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const { agent, callId } = await inCall(t);
    const bad = await callJson(`/video-calls/${callId}/complete`, { token: agent.token, json: { call_notes: "x", verification_result: "maybe", reason_code: "lower case" } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.details)).toEqual(expect.arrayContaining(["verification_result", "reason_code"]));
  });

  it("closes a call left open past VIDEO_CALL_TIMEOUT_MINUTES as abandoned", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const { callId, verificationId } = await inCall(t);
    expect(await runDurableObjectAlarm(coordinator(t))).toBe(true);
    const view = await callJson(`/video-calls/${callId}`, { token: t.manager.token });
    expect(view.body).toMatchObject({ status: "abandoned", end_reason: "timeout" });
    await coordinator(t).flushOutbox();
    expect((await callJson(`/verifications/${verificationId}`, { token: t.customers[0]!.token })).body.status).toBe("pending_video_call");
  });
});

describe("recording", () => {
  const webm = () => {
    const bytes = new Uint8Array(4096);
    crypto.getRandomValues(bytes);
    bytes.set([0x1a, 0x45, 0xdf, 0xa3], 0);
    return bytes;
  };
  const form = (bytes: Uint8Array) => {
    const f = new FormData();
    f.set("file", new File([bytes], "call.webm", { type: "video/webm" }));
    return f;
  };

  it("is refused unless the tenant enabled recording", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const { agent, callId } = await inCall(t);
    const res = await callJson(`/video-calls/${callId}/recording`, { token: agent.token, body: form(webm()) });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("recording_disabled");
  });

  it("stores the recording encrypted and puts its SHA-256 in the audit record", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    expect((await callJson("/video-calls/settings", { token: t.manager.token, json: { recording_enabled: true } })).body).toMatchObject({ recording_enabled: true });
    const { agent, callId } = await inCall(t);
    const bytes = webm();
    const uploaded = await callJson(`/video-calls/${callId}/recording`, { token: agent.token, body: form(bytes) });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ sha256: await sha256Hex(bytes), content_type: "video/webm", size: 4096 });
    const stored = await env.DOCUMENTS.list({ prefix: `tenants/${t.id}/calls/${callId}/` });
    expect(stored.objects).toHaveLength(1);
    const { body } = await callJson(`/video-calls/${callId}/complete`, { token: agent.token, json: completion() });
    expect(body.call_summary.recording_sha256).toBe(uploaded.body.sha256);
  });
});
