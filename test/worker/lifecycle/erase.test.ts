// Erasure (API.md "Lifecycle"): crypto-shredding, R2 and D1 cleared, its own audit record, and a
// log that stays append-only and verifiable while the erased leaves no longer link to anything.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { verifyConsistency, verifyReceipt } from "../../../merkle/index.js";
import { fromBase64 } from "../../../worker/encoding.ts";
import { call, callJson, type Json } from "../support/api.ts";
import { auditLog, logPendingRecords, publicKey, receiptByHash } from "../support/audit.ts";
import { queuedCall } from "../support/queue.ts";
import { newTenant } from "../support/tenant.ts";
import { allLeaves, decidedVerification, NOTES, PERSON, r2Bytes, storeTheOldWay } from "./support.ts";

const decode = (b64: string) => new TextDecoder().decode(fromBase64(b64));

const erase = (id: string, token: string, reason: unknown = "Customer's erasure request of 2026-11-30") =>
  callJson(`/verifications/${id}/erase`, { token, json: { reason } });

async function d1RowsAbout(verificationId: string, callId: string) {
  const q = (sql: string, ...params: unknown[]) =>
    env.DB.prepare(sql)
      .bind(...params)
      .all()
      .then((r) => r.results);
  return {
    verification: await q("SELECT * FROM verifications WHERE id = ?", verificationId),
    documents: await q("SELECT * FROM documents WHERE verification_id = ?", verificationId),
    calls: await q("SELECT * FROM video_calls WHERE verification_id = ?", verificationId),
    records: await q(
      "SELECT * FROM audit_records WHERE subject_id = ? OR subject_id = ? OR id LIKE ?",
      verificationId,
      callId,
      "document:%",
    ),
    keys: await q("SELECT * FROM data_keys WHERE verification_id = ?", verificationId),
  };
}

describe("erasure", () => {
  it("shreds keys, deletes R2 objects, clears D1 and redacts leaves, while the log stays verifiable", async () => {
    const t = await newTenant({ agents: 1, customers: 2 });
    const other = await decidedVerification(t, t.customers[1]!);
    const v = await decidedVerification(t);
    // One of its documents was stored before per-verification keys: erasure removes it too.
    await storeTheOldWay(v.documents[1]!.document_id, v.documents[1]!.bytes);
    const hashes = v.documents.map((d) => d.document_hash as string);
    const objectKeys = (
      await env.DB.prepare("SELECT object_key FROM documents WHERE verification_id = ?").bind(v.id).all<{ object_key: string }>()
    ).results.map((r) => r.object_key);
    expect(objectKeys).toHaveLength(2);
    expect((await receiptByHash(hashes[0]!)).status).toBe(200);

    const sizeBefore = await auditLog().size();
    const checkpointBefore = (await auditLog().latestCheckpoint())!;
    const leavesBefore = await allLeaves();
    const ownLeaves = leavesBefore.filter((l) => hashes.some((h) => decode(l.data).includes(h)) || decode(l.data).includes(v.callId));
    expect(ownLeaves.length).toBeGreaterThanOrEqual(4); // two documents, the submission, the call
    const salts = ownLeaves.map((l) => JSON.parse(decode(l.data)).salt as string);
    const otherReceiptBefore = (await receiptByHash(other.documents[0]!.document_hash)).body;

    // Who may erase, and with what.
    expect((await erase(v.id, v.customer.token)).status).toBe(403);
    expect((await erase(v.id, v.agent.token)).status).toBe(403);
    expect((await erase(v.id, t.manager.token, "")).status).toBe(400);
    expect((await erase("no-such-verification", t.manager.token)).status).toBe(404);

    const { status, body } = await erase(v.id, t.manager.token);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({
      verification_id: v.id,
      status: "erased",
      erased_by: t.manager.id,
      basis: "request",
      audit_record_id: `verification:${v.id}:erased`,
    });
    expect(body.redacted_leaves).toEqual(ownLeaves.map((l) => l.index).sort((a, b) => a - b));

    // R2 and keys: the ciphertext is gone, and so is every key that could open it.
    for (const key of objectKeys) expect(await r2Bytes(key)).toBeNull();
    expect((await env.DOCUMENTS.list({ prefix: `tenants/${t.id}/verifications/${v.id}/` })).objects).toEqual([]);
    const rows = await d1RowsAbout(v.id, v.callId);
    expect(rows.keys.length).toBeGreaterThanOrEqual(1);
    for (const key of rows.keys) expect(key).toMatchObject({ wrapped_key: null, destroyed_at: expect.any(Number) });

    // D1: no name, email, date of birth, notes or document hash left about it.
    expect(rows.verification).toEqual([expect.objectContaining({ status: "erased", user_info: null })]);
    expect(rows.documents).toEqual([]);
    expect(rows.calls).toEqual([expect.objectContaining({ user_name: "", notes: null, notes_key: null })]);
    const d1Text = JSON.stringify(rows) + rows.records.map((r) => (r.data ? decode(r.data as string) : "")).join("");
    for (const secret of [PERSON.name, PERSON.email, PERSON.date_of_birth, NOTES, ...hashes, ...salts])
      expect(d1Text).not.toContain(secret);

    // The API: erased, documents 404, no receipts for its hashes or records.
    const { body: shown } = await callJson(`/verifications/${v.id}`, { token: t.manager.token });
    expect(shown).toMatchObject({ status: "erased", user_info: null, documents: [] });
    for (const doc of v.documents) {
      expect((await call(`/documents/${doc.document_id}/content`, { token: v.customer.token })).status).toBe(404);
      expect((await receiptByHash(doc.document_hash)).status).toBe(404);
      expect((await call(`/audit/receipts/document:${doc.document_id}`, { token: t.manager.token })).status).toBe(404);
    }

    // The log: nothing appended or changed by the erasure itself; the erased leaves keep their
    // hashes but no longer their inputs, so no salt and no document hash is left in it.
    expect(await auditLog().size()).toBe(sizeBefore);
    expect(await auditLog().latestCheckpoint()).toEqual(checkpointBefore);
    const leavesAfter = await allLeaves();
    expect(leavesAfter.map((l) => l.leaf_hash)).toEqual(leavesBefore.map((l) => l.leaf_hash));
    for (const leaf of leavesAfter.filter((l) => body.redacted_leaves.includes(l.index))) expect(leaf.data).toBe("");
    const logText = leavesAfter.map((l) => decode(l.data)).join("\n");
    for (const secret of [...hashes, ...salts, PERSON.name]) expect(logText).not.toContain(secret);

    // The erasure's own record joins the log: earlier checkpoints stay, the new one is consistent.
    expect(await logPendingRecords()).toBe(1);
    const erasureLeaf = (await auditLog().leafOf(`verification:${v.id}:erased`))!;
    const erasureInput = JSON.parse(decode(erasureLeaf.data));
    expect(erasureInput).toMatchObject({
      kind: "verification_erased",
      verification_id: v.id,
      erased_by: t.manager.id,
      basis: "request",
      redacted_leaves: body.redacted_leaves,
    });
    expect(erasureInput.reason_hmac).toMatch(/^[0-9a-f]{64}$/);
    for (const secret of [PERSON.name, PERSON.email, "erasure request", ...hashes]) expect(decode(erasureLeaf.data)).not.toContain(secret);
    expect(await auditLog().checkpointAt(sizeBefore)).toEqual(checkpointBefore);
    const checkpointAfter = (await auditLog().latestCheckpoint())!;
    expect(checkpointAfter.tree_size).toBe(sizeBefore + 1);
    const { body: proof } = await callJson(`/audit/consistency?from=${sizeBefore}&to=${checkpointAfter.tree_size}`);
    expect(
      verifyConsistency(sizeBefore, checkpointAfter.tree_size, checkpointBefore.root_hash, checkpointAfter.root_hash, proof.proof),
    ).toBe(true);

    // Every other receipt still verifies: the one held before, and a fresh one.
    const key = await publicKey();
    expect((await verifyReceipt(otherReceiptBefore, key)).ok).toBe(true);
    const otherNow = await receiptByHash(other.documents[0]!.document_hash);
    expect(otherNow.status).toBe(200);
    expect((await verifyReceipt(otherNow.body, key)).ok).toBe(true);
    const erasureReceipt = await callJson(`/audit/receipts/${encodeURIComponent(`verification:${v.id}:erased`)}`, {
      token: t.manager.token,
    });
    expect((await verifyReceipt(erasureReceipt.body, key)).ok).toBe(true);
  });

  it("is a no-op the second time", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const v = await decidedVerification(t);
    const first = await erase(v.id, t.manager.token);
    expect(first.status).toBe(200);
    await logPendingRecords();
    const size = await auditLog().size();
    const again = await erase(v.id, t.manager.token, "asked twice");
    expect(again).toEqual({ status: 200, body: first.body });
    expect(await logPendingRecords()).toBe(0);
    expect(await auditLog().size()).toBe(size);
    const { results } = await env.DB.prepare("SELECT erasure_reason FROM verification_lifecycle WHERE verification_id = ?")
      .bind(v.id)
      .all();
    expect(results).toEqual([{ erasure_reason: "Customer's erasure request of 2026-11-30" }]);
  });

  it("refuses while the verification is queued for a call", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const queued = await queuedCall(t, t.customers[0]!);
    await logPendingRecords();
    const { status, body } = await erase(queued.verification_id, t.manager.token);
    expect(status).toBe(409);
    expect(body.error.code).toBe("verification_in_progress");
  });
});

describe("legal hold", () => {
  it("answers 409 to an erasure while held, and erases once released", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const v = await decidedVerification(t);
    const hold = (token: string, reason: unknown = "Subpoena 2026/114") =>
      callJson(`/verifications/${v.id}/legal-hold`, { token, json: { reason } });
    expect((await hold(v.customer.token)).status).toBe(403);
    expect((await hold(t.manager.token, "")).status).toBe(400);
    const placed = await hold(t.manager.token);
    expect(placed).toMatchObject({
      status: 200,
      body: { verification_id: v.id, on_hold: true, reason: "Subpoena 2026/114", placed_by: t.manager.id },
    });

    const refused = await erase(v.id, t.manager.token);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "legal_hold", details: { reason: "Subpoena 2026/114" } });
    // Nothing was touched.
    const doc = v.documents[0]! as Json;
    expect((await call(`/documents/${doc.document_id}/content`, { token: v.customer.token })).status).toBe(200);
    expect((await callJson(`/verifications/${v.id}`, { token: t.manager.token })).body.status).toBe("approved");

    const released = await callJson(`/verifications/${v.id}/legal-hold`, { token: t.manager.token, method: "DELETE" });
    expect(released).toMatchObject({ status: 200, body: { on_hold: false, reason: null } });
    expect((await erase(v.id, t.manager.token)).status).toBe(200);
    expect((await hold(t.manager.token)).status).toBe(409);
  });
});
