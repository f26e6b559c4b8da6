// Completing a video call: decision, notes hash, D1 record, audit record, exactly once.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson } from "../support/api.ts";
import { hmacHex, sha256Hex } from "../support/files.ts";
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
      agent_id: agent.id,
      decided_by: agent.id,
    });
    expect(body.audit).toEqual({ record_id: `video_call:${callId}:completed`, status: "queued" });

    await coordinator(t).flushOutbox();
    const row = await env.DB.prepare(
      "SELECT status, decision, decision_reason, notes, notes_hash, notes_key, duration_seconds, audit_record_id FROM video_calls WHERE id = ?",
    )
      .bind(callId)
      .first<Record<string, string>>();
    expect(row).toMatchObject({
      status: "completed",
      decision: "approved",
      decision_reason: "IDENTITY_CONFIRMED",
      notes,
      notes_hash: body.call_summary.notes_hmac,
      duration_seconds: 312,
    });
    // The notes hash is keyed: with the per-call key (kept in D1, not in the leaf) it confirms the notes.
    expect(body.call_summary.notes_hmac).toBe(
      await hmacHex(
        Uint8Array.from(atob(row!.notes_key!), (ch) => ch.charCodeAt(0)),
        notes,
      ),
    );
    expect(body.call_summary.notes_hmac).not.toBe(await sha256Hex(new TextEncoder().encode(notes)));
    const record = await env.DB.prepare("SELECT kind, data FROM audit_records WHERE id = ?")
      .bind(body.audit.record_id)
      .first<{ kind: string; data: string }>();
    expect(record!.kind).toBe("video_call_completed");
    const leafInput = new TextDecoder().decode(Uint8Array.from(atob(record!.data), (ch) => ch.charCodeAt(0)));
    const leaf = JSON.parse(leafInput);
    expect(leaf).toMatchObject({
      notes_hmac: body.call_summary.notes_hmac,
      decided_by: agent.id,
      decided_at: body.call_summary.completed_at,
    });
    expect(leafInput).not.toContain("selfie matches");
    expect(leafInput).not.toContain(row!.notes_key);
    // Knowing the leaf (and so its salt) is not enough to confirm a guess of the notes.
    const saltKey = Uint8Array.from(atob(leaf.salt), (ch) => ch.charCodeAt(0));
    expect(await hmacHex(saltKey, notes)).not.toBe(leaf.notes_hmac);
    const verification = await callJson(`/verifications/${verificationId}`, { token: t.customers[0]!.token });
    expect(verification.body).toMatchObject({ status: "approved", decision: "approved", decision_reason: "IDENTITY_CONFIRMED" });
  });

  it("completes exactly once when the request is retried", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const { agent, callId } = await inCall(t);
    const first = await callJson(`/video-calls/${callId}/complete`, { token: agent.token, json: completion() });
    const retried = await Promise.all(
      [1, 2].map(() => callJson(`/video-calls/${callId}/complete`, { token: agent.token, json: completion() })),
    );
    for (const again of retried) {
      expect(again.status).toBe(200);
      expect(again.body.call_summary).toEqual(first.body.call_summary);
    }
    await coordinator(t).flushOutbox();
    const records = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_records WHERE subject_id = ?")
      .bind(callId)
      .first<{ n: number }>();
    expect(records!.n).toBe(1);
    const { body } = await callJson("/video-calls/agents/availability", { token: t.manager.token });
    expect(body.agents.find((a: { agent_id: string }) => a.agent_id === agent.id).total_calls_today).toBe(1);
  });

  it("keeps the first completion's result through an eviction: a retry, even with other input, gets it unchanged", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const { agent, callId } = await inCall(t);
    const first = await callJson(`/video-calls/${callId}/complete`, { token: agent.token, json: completion() });
    expect(first.status).toBe(200);
    await evictDurableObject(coordinator(t));
    const retried = await callJson(`/video-calls/${callId}/complete`, {
      token: agent.token,
      json: { ...completion("Different notes on the retry."), verification_result: "rejected", reason_code: "DOC_EXPIRED" },
    });
    expect(retried.status).toBe(200);
    expect(retried.body.call_summary).toEqual(first.body.call_summary);
    expect(retried.body.audit.record_id).toBe(first.body.audit.record_id);
    const stored = await runInDurableObject(coordinator(t), (_instance, state) =>
      state.storage.sql.exec<{ result: string | null }>("SELECT result FROM finished_calls WHERE id = ?", callId).toArray(),
    );
    expect(stored.map((r) => JSON.parse(r.result!))).toEqual([first.body.call_summary]);
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
    await callJson(`/video-calls/${callId}/complete`, {
      token: agent.token,
      json: { ...completion(), verification_result: "rejected", reason_code: "DOC_EXPIRED" },
    });
    expect(await room.next("call_completed")).toEqual({
      type: "call_completed",
      call_id: callId,
      decision: "rejected",
      reason_code: "DOC_EXPIRED",
    });
    await coordinator(t).flushOutbox();
    const history = await callJson("/video-calls/history", { token: agent.token });
    expect(history.body.items[0]).toMatchObject({ id: callId, status: "completed", decision: "rejected", decision_reason: "DOC_EXPIRED" });
    room.close();
  });

  it("lets only the call's own agent complete it: other agents, managers, IT staff and customers get 403", async () => {
    const t = await newTenant({ agents: 2, customers: 1 });
    const { agent, callId } = await inCall(t);
    for (const who of [t.agents[1]!, t.manager, t.it, t.customers[0]!]) {
      const res = await callJson(`/video-calls/${callId}/complete`, { token: who.token, json: completion() });
      expect(res.status, who.role).toBe(403);
    }
    expect((await callJson(`/video-calls/${callId}`, { token: t.manager.token })).body.status).toBe("in_progress");
    expect((await callJson(`/video-calls/${callId}/complete`, { token: agent.token, json: completion() })).status).toBe(200);
  });

  it("refuses a decision on a call that never started (409), even after IT staff assigned it", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const agent = t.agents[0]!;
    await makeReady(agent);
    const call = await queuedCall(t, t.customers[0]!);
    const assigned = await callJson(`/video-calls/${call.call_id}/assign`, { token: t.it.token, json: { agent_id: agent.id } });
    expect(assigned.status).toBe(200);
    const byIt = await callJson(`/video-calls/${call.call_id}/complete`, { token: t.it.token, json: completion() });
    expect(byIt.status).toBe(403);
    const early = await callJson(`/video-calls/${call.call_id}/complete`, { token: agent.token, json: completion() });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("call_not_started");
    await coordinator(t).flushOutbox();
    const records = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_records WHERE subject_id = ?")
      .bind(call.call_id)
      .first<{ n: number }>();
    expect(records!.n).toBe(0);
    expect((await callJson(`/video-calls/${call.call_id}`, { token: t.manager.token })).body.status).toBe("assigned");
  });

  it("validates the decision and the reason code", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const { agent, callId } = await inCall(t);
    const bad = await callJson(`/video-calls/${callId}/complete`, {
      token: agent.token,
      json: { call_notes: "x", verification_result: "maybe", reason_code: "lower case" },
    });
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

describe("override", () => {
  const override = (reason = "Second look at the passport: the MRZ check digit fails.") => ({
    verification_result: "rejected",
    reason,
    reason_code: "DOC_TAMPERED",
  });

  it("lets a manager change a completed call's decision with a reason, as its own audit record", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const { agent, callId, verificationId } = await inCall(t);
    const completed = await callJson(`/video-calls/${callId}/complete`, { token: agent.token, json: completion() });
    const res = await callJson(`/video-calls/${callId}/override`, { token: t.manager.token, json: override() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      call_id: callId,
      verification_id: verificationId,
      previous_decision: "approved",
      decision: "rejected",
      decided_by: t.manager.id,
    });
    const verification = await callJson(`/verifications/${verificationId}`, { token: t.manager.token });
    expect(verification.body).toMatchObject({ status: "rejected", decision: "rejected", decision_reason: "DOC_TAMPERED" });
    const rows = await env.DB.prepare("SELECT id, kind, data FROM audit_records WHERE subject_id = ? ORDER BY created_at")
      .bind(callId)
      .all<{ id: string; kind: string; data: string }>();
    expect(rows.results.map((r) => r.kind)).toEqual(["video_call_completed", "decision_overridden"]);
    const leaf = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(rows.results[1]!.data), (ch) => ch.charCodeAt(0))));
    expect(leaf).toMatchObject({
      decided_by: t.manager.id,
      previous_decision: "approved",
      decision: "rejected",
      decided_at: res.body.decided_at,
    });
    expect(JSON.stringify(leaf)).not.toContain("MRZ");
    // The agent's own record is untouched: it still says what the agent decided.
    expect(rows.results[0]!.id).toBe(completed.body.audit.record_id);
    expect(JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(rows.results[0]!.data), (ch) => ch.charCodeAt(0))))).toMatchObject({
      decision: "approved",
      decided_by: agent.id,
    });
  });

  it("needs a reason, the manager role and a completed call", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const { agent, callId } = await inCall(t);
    expect((await callJson(`/video-calls/${callId}/override`, { token: t.manager.token, json: override() })).status).toBe(409);
    await callJson(`/video-calls/${callId}/complete`, { token: agent.token, json: completion() });
    const noReason = await callJson(`/video-calls/${callId}/override`, {
      token: t.manager.token,
      json: { verification_result: "rejected" },
    });
    expect(noReason.status).toBe(400);
    expect(Object.keys(noReason.body.error.details)).toContain("reason");
    expect((await callJson(`/video-calls/${callId}/override`, { token: t.manager.token, json: override("too short") })).status).toBe(400);
    for (const who of [agent, t.it, t.customers[0]!]) {
      expect((await callJson(`/video-calls/${callId}/override`, { token: who.token, json: override() })).status, who.role).toBe(403);
    }
  });

  it("lets exactly one of two overrides of the same decision win", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const { agent, callId } = await inCall(t);
    await callJson(`/video-calls/${callId}/complete`, { token: agent.token, json: completion() });
    const both = await Promise.all([
      callJson(`/video-calls/${callId}/override`, { token: t.manager.token, json: { ...override(), expected_decision: "approved" } }),
      callJson(`/video-calls/${callId}/override`, {
        token: t.manager.token,
        json: { ...override(), verification_result: "needs_review", expected_decision: "approved" },
      }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM decision_overrides WHERE call_id = ?").bind(callId).first<{ n: number }>();
    expect(n!.n).toBe(1);
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
    expect((await callJson("/video-calls/settings", { token: t.manager.token, json: { recording_enabled: true } })).body).toMatchObject({
      recording_enabled: true,
    });
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
