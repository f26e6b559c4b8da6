// Submit's freeze (worker/db/verifications.ts freezeForSubmit): one D1 batch that freezes the
// document set and reads what the submit needs — the documents, the first submit instant, and
// how many of their hashes other customers of the tenant uploaded (the "document reused" signal).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { database } from "../../worker/db/client.ts";
import { freezeForSubmit, verificationById } from "../../worker/db/verifications.ts";
import { call, callJson } from "./support/api.ts";
import { documentForm, pngBytes } from "./support/files.ts";
import { newTenant, type TestUser } from "./support/tenant.ts";

async function withDocument(customer: TestUser, bytes: Uint8Array) {
  const created = await callJson("/verifications", { token: customer.token, json: {} });
  const upload = await call(`/verifications/${created.body.id}/documents`, {
    token: customer.token,
    body: documentForm(bytes, { doc_type: "passport" }),
  });
  expect(upload.status).toBe(201);
  return (await verificationById(database(env.DB), created.body.id))!;
}

describe("the submit's freeze", () => {
  it("counts a hash another customer of the tenant uploaded, not the customer's own", async () => {
    const t = await newTenant({ customers: 2 });
    const [first, second] = t.customers as [TestUser, TestUser];
    const bytes = pngBytes();
    const db = database(env.DB);
    const original = await withDocument(first, bytes);
    const own = await withDocument(first, bytes);
    // Only the customer themselves has this document so far.
    expect((await freezeForSubmit(db, own, Date.now())).reusedDocumentCount).toBe(0);
    const other = await withDocument(second, bytes);
    const unrelated = await withDocument(second, pngBytes());
    expect((await freezeForSubmit(db, other, Date.now())).reusedDocumentCount).toBe(1);
    expect((await freezeForSubmit(db, unrelated, Date.now())).reusedDocumentCount).toBe(0);
    // Now another customer has it too.
    expect((await freezeForSubmit(db, original, Date.now())).reusedDocumentCount).toBe(1);
  });

  it("freezes once: a retry keeps the first instant and the same documents; no documents, no freeze", async () => {
    const t = await newTenant({ customers: 1 });
    const db = database(env.DB);
    const row = await withDocument(t.customers[0]!, pngBytes());
    const first = await freezeForSubmit(db, row, 1_000_000);
    expect(first).toMatchObject({ frozen: true, submittedAt: 1_000_000 });
    expect(first.documents.map((d) => d.verificationId)).toEqual([row.id]);
    const retry = await freezeForSubmit(db, row, 2_000_000);
    expect(retry).toMatchObject({ frozen: true, submittedAt: 1_000_000 });
    expect(retry.documents).toEqual(first.documents);
    const empty = (await verificationById(db, (await callJson("/verifications", { token: t.customers[0]!.token, json: {} })).body.id))!;
    expect(await freezeForSubmit(db, empty, 3_000_000)).toMatchObject({ frozen: false, submittedAt: null, documents: [] });
  });
});
