// The subject-access export (API.md "Lifecycle"): one JSON document with everything held about a
// verification, receipts that verify offline, and document links that work for a few minutes.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { verifyReceipt } from "../../../merkle/index.js";
import { signDocumentLink } from "../../../worker/lifecycle/document-links.ts";
import { callJson, ORIGIN } from "../support/api.ts";
import { publicKey } from "../support/audit.ts";
import { sha256Hex } from "../support/files.ts";
import { newTenant } from "../support/tenant.ts";
import { decidedVerification, NOTES, PERSON } from "./support.ts";

describe("export", () => {
  it("gives a manager everything held: the verification, calls, decisions, verifiable receipts and working document links", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const v = await decidedVerification(t);
    const res = await exports.default.fetch(`${ORIGIN}/api/v1/verifications/${v.id}/export`, {
      headers: { Authorization: `Bearer ${t.manager.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="verification-${v.id}.json"`);
    const body = await res.json<any>();
    expect(body).toMatchObject({
      format: "verifyid-export/v1",
      verification: { id: v.id, status: "approved", user_info: PERSON, decision: "approved" },
      legal_hold: { on_hold: false },
    });
    expect(body.verification.fraud_analysis).not.toBeNull();
    expect(body.calls).toEqual([expect.objectContaining({ id: v.callId, status: "completed", decision: "approved", notes: NOTES })]);
    expect(body.decisions).toEqual([expect.objectContaining({ kind: "call_decision", call_id: v.callId, decision: "approved" })]);

    expect(body.documents.map((d: any) => d.document_hash).sort()).toEqual(v.documents.map((d) => d.document_hash).sort());
    for (const doc of body.documents) {
      expect(Date.parse(doc.expires_at) - Date.now()).toBeLessThanOrEqual(300_000);
      const download = await exports.default.fetch(doc.url); // no token: the link is the credential
      expect(download.status).toBe(200);
      expect(await sha256Hex(new Uint8Array(await download.arrayBuffer()))).toBe(doc.document_hash);
    }

    const kinds = body.receipts.map((r: any) => r.kind).sort();
    expect(kinds).toEqual(["document", "document", "verification_submitted", "video_call_completed"]);
    const key = await publicKey();
    for (const r of body.receipts) {
      expect(r.status).toBe("logged");
      expect((await verifyReceipt(r.receipt, key)).ok, r.record_id).toBe(true);
    }
  });

  it("gives the customer their own, without staff notes or risk internals, and nobody else's", async () => {
    const t = await newTenant({ agents: 1, customers: 2 });
    const v = await decidedVerification(t);
    const own = await callJson(`/verifications/${v.id}/export`, { token: v.customer.token });
    expect(own.status).toBe(200);
    expect(own.body.verification).toMatchObject({ id: v.id, user_info: PERSON, fraud_analysis: null });
    expect(own.body.calls[0]).toMatchObject({ id: v.callId, notes: null });
    expect(own.body.documents).toHaveLength(2);
    expect((await callJson(`/verifications/${v.id}/export`, { token: t.customers[1]!.token })).status).toBe(404);
    expect((await callJson(`/verifications/${v.id}/export`, { token: t.agents[0]!.token })).status).toBe(403);
    const foreign = await newTenant({ agents: 0, customers: 0 });
    expect((await callJson(`/verifications/${v.id}/export`, { token: foreign.manager.token })).status).toBe(404);
  });

  it("refuses a document link that is tampered with or expired, and one whose document was erased", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const v = await decidedVerification(t);
    const { body } = await callJson(`/verifications/${v.id}/export`, { token: t.manager.token });
    const link = new URL(body.documents[0].url);
    const tampered = new URL(link);
    tampered.searchParams.set("signature", "0".repeat(64));
    expect((await exports.default.fetch(tampered.href)).status).toBe(403);
    const past = Date.now() - 1000;
    const expired = new URL(link);
    expired.searchParams.set("expires", String(past));
    expired.searchParams.set("signature", await signDocumentLink(env.JWT_SECRET, body.documents[0].id, past));
    expect((await exports.default.fetch(expired.href)).status).toBe(403);

    expect((await callJson(`/verifications/${v.id}/erase`, { token: t.manager.token, json: { reason: "Subject request" } })).status).toBe(
      200,
    );
    expect((await exports.default.fetch(link.href)).status).toBe(404);
    const after = await callJson(`/verifications/${v.id}/export`, { token: t.manager.token });
    expect(after.body).toMatchObject({ verification: { status: "erased", user_info: null }, documents: [] });
  });
});
