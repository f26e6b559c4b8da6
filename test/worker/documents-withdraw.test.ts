// Removing a document before submit (DELETE /verifications/{id}/documents/{document_id}): the
// row and the R2 object go, a withdrawal record joins the append-only log, the document's own
// record stays; after submit the set is frozen.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callJson } from "./support/api.ts";
import { auditLog, logPendingRecords } from "./support/audit.ts";
import { documentForm, pngBytes } from "./support/files.ts";
import { newTenant, type TestUser } from "./support/tenant.ts";

async function withDocuments(customer: TestUser, count = 1) {
  const created = await callJson("/verifications", { token: customer.token, json: {} });
  const documents: Array<{ document_id: string; document_hash: string }> = [];
  for (let i = 0; i < count; i++) {
    const upload = await callJson(`/verifications/${created.body.id}/documents`, {
      token: customer.token,
      body: documentForm(pngBytes(), { doc_type: "passport" }),
    });
    expect(upload.status).toBe(201);
    documents.push(upload.body as { document_id: string; document_hash: string });
  }
  return { id: created.body.id as string, documents };
}

const remove = (token: string, verificationId: string, documentId: string) =>
  callJson(`/verifications/${verificationId}/documents/${documentId}`, { token, method: "DELETE" });

const objectKeyOf = async (documentId: string) =>
  (await env.DB.prepare("SELECT object_key FROM documents WHERE id = ?").bind(documentId).first<{ object_key: string }>())?.object_key;

const recordRow = (id: string) =>
  env.DB.prepare("SELECT * FROM audit_records WHERE id = ?")
    .bind(id)
    .first<{ kind: string; subject_id: string; owner_id: string; data: string }>();

describe("removing a document before submit", () => {
  it("deletes the row and the R2 object, keeps the document's record and writes a withdrawal record", async () => {
    const t = await newTenant({ customers: 1 });
    const customer = t.customers[0]!;
    const v = await withDocuments(customer, 2);
    const [gone, kept] = v.documents as [(typeof v.documents)[number], (typeof v.documents)[number]];
    const key = (await objectKeyOf(gone.document_id))!;
    expect(await env.DOCUMENTS.head(key)).not.toBeNull();

    const { status, body } = await remove(customer.token, v.id, gone.document_id);
    expect(status).toBe(200);
    expect(body).toEqual({ document_id: gone.document_id, withdrawn: true, audit_record_id: `document:${gone.document_id}:withdrawn` });

    expect(await objectKeyOf(gone.document_id)).toBeUndefined();
    expect(await env.DOCUMENTS.head(key)).toBeNull();
    const shown = await callJson(`/verifications/${v.id}`, { token: customer.token });
    expect(shown.body.documents.map((d: { id: string }) => d.id)).toEqual([kept.document_id]);
    expect((await call(`/documents/${gone.document_id}/content`, { token: customer.token })).status).toBe(404);

    // The upload's record stays (append-only); the withdrawal's names ids and the hash only.
    expect(await recordRow(`document:${gone.document_id}`)).toMatchObject({ kind: "document" });
    const withdrawal = (await recordRow(body.audit_record_id))!;
    expect(withdrawal).toMatchObject({ kind: "document_withdrawn", subject_id: v.id, owner_id: customer.id });
    const data = JSON.parse(atob(withdrawal.data));
    expect(Object.keys(data).sort()).toEqual([
      "document_hash",
      "document_id",
      "kind",
      "salt",
      "verification_id",
      "withdrawn_at",
      "withdrawn_by",
    ]);
    expect(data).toMatchObject({
      kind: "document_withdrawn",
      document_id: gone.document_id,
      verification_id: v.id,
      document_hash: gone.document_hash,
      withdrawn_by: customer.id,
    });
    await logPendingRecords();
    expect(await auditLog().leafOf(body.audit_record_id)).toMatchObject({ kind: "document_withdrawn" });
  });

  it("lets staff of the tenant remove one, and answers 404 to another tenant, another customer and an unknown id", async () => {
    const t = await newTenant({ customers: 2 });
    const other = await newTenant({ customers: 1 });
    const v = await withDocuments(t.customers[0]!, 2);
    const [first, second] = v.documents as [(typeof v.documents)[number], (typeof v.documents)[number]];

    for (const token of [other.manager.token, other.customers[0]!.token, t.customers[1]!.token]) {
      const answer = await remove(token, v.id, first.document_id);
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe("not_found");
    }
    expect(await objectKeyOf(first.document_id)).toBeDefined();
    expect((await remove(t.customers[0]!.token, v.id, "no-such-document")).status).toBe(404);
    // A document of another verification is not found under this one.
    const elsewhere = await withDocuments(t.customers[0]!, 1);
    expect((await remove(t.customers[0]!.token, v.id, elsewhere.documents[0]!.document_id)).status).toBe(404);

    expect((await remove(t.agents[0]!.token, v.id, first.document_id)).status).toBe(200);
    expect((await remove(t.manager.token, v.id, second.document_id)).status).toBe(200);
    // Gone is gone: a second removal finds nothing.
    expect((await remove(t.customers[0]!.token, v.id, first.document_id)).status).toBe(404);
  });

  it("takes a replacement after a removal", async () => {
    const t = await newTenant({ customers: 1 });
    const customer = t.customers[0]!;
    const v = await withDocuments(customer, 1);
    expect((await remove(customer.token, v.id, v.documents[0]!.document_id)).status).toBe(200);
    const upload = await callJson(`/verifications/${v.id}/documents`, {
      token: customer.token,
      body: documentForm(pngBytes(), { doc_type: "id_card" }),
    });
    expect(upload.status).toBe(201);
    const shown = await callJson(`/verifications/${v.id}`, { token: customer.token });
    expect(shown.body.documents).toEqual([expect.objectContaining({ id: upload.body.document_id, doc_type: "id_card" })]);
  });

  it("answers 409 verification_submitted after submit and keeps the document", async () => {
    const t = await newTenant({ customers: 1 });
    const customer = t.customers[0]!;
    const v = await withDocuments(customer, 1);
    const documentId = v.documents[0]!.document_id;
    expect((await callJson(`/verifications/${v.id}/submit`, { token: customer.token, method: "POST" })).status).toBe(200);

    const { status, body } = await remove(customer.token, v.id, documentId);
    expect(status).toBe(409);
    expect(body.error).toMatchObject({ code: "verification_submitted", details: { status: "pending_video_call" } });
    const key = (await objectKeyOf(documentId))!;
    expect(await env.DOCUMENTS.head(key)).not.toBeNull();
    expect(await recordRow(`document:${documentId}:withdrawn`)).toBeNull();
  });

  it("lets an erasure of the verification redact the withdrawn document's leaves too", async () => {
    const t = await newTenant({ customers: 1 });
    const customer = t.customers[0]!;
    const v = await withDocuments(customer, 2);
    const gone = v.documents[0]!;
    expect((await remove(customer.token, v.id, gone.document_id)).status).toBe(200);
    await logPendingRecords();
    const uploadLeaf = (await auditLog().leafOf(`document:${gone.document_id}`))!;
    const withdrawalLeaf = (await auditLog().leafOf(`document:${gone.document_id}:withdrawn`))!;
    expect(atob(uploadLeaf.data)).toContain(gone.document_hash);

    const erased = await callJson(`/verifications/${v.id}/erase`, { token: t.manager.token, json: { reason: "Customer's request" } });
    expect(erased.status).toBe(200);
    expect(erased.body.redacted_leaves).toEqual(expect.arrayContaining([uploadLeaf.index, withdrawalLeaf.index]));
    expect((await auditLog().leafOf(`document:${gone.document_id}`))!.data).toBe("");
    expect((await auditLog().leafOf(`document:${gone.document_id}:withdrawn`))!.data).toBe("");
  });
});
