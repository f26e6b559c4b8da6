// Document intake: hashing, encryption at rest, limits and validation.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { open } from "../../worker/documents/envelope.ts";
import { envelopeKeys } from "../../worker/lifecycle/keys.ts";
import { call, callJson, login } from "./support/api.ts";
import { createVerification, uploadDocument } from "./support/factories.ts";
import { newTenant, type TestUser } from "./support/tenant.ts";
import { documentForm, gifBytes, jpegBytes, pdfBytes, pngBytes, sha256Hex, webpBytes } from "./support/files.ts";

const MiB = 1024 * 1024;

function containsSequence(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe("upload", () => {
  it.each([
    ["image/png", pngBytes],
    ["image/jpeg", jpegBytes],
    ["image/webp", webpBytes],
    ["application/pdf", pdfBytes],
  ] as const)("returns the SHA-256 of the exact bytes of a %s", async (type, make) => {
    const { id, token } = await createVerification();
    const bytes = make(5000);
    const { status, body } = await uploadDocument(token, id, bytes);
    expect(status).toBe(201);
    expect(body).toMatchObject({ document_hash: await sha256Hex(bytes), size: 5000, content_type: type });
    expect(body.document_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("stores ciphertext in R2 that contains no run of the plaintext and decrypts back", async () => {
    const { id, token } = await createVerification();
    const bytes = pngBytes(64 * 1024);
    const { body } = await uploadDocument(token, id, bytes);

    const listed = await env.DOCUMENTS.list({ prefix: `tenants/demo/verifications/${id}/` });
    expect(listed.objects).toHaveLength(1);
    const stored = new Uint8Array(await (await env.DOCUMENTS.get(listed.objects[0]!.key))!.arrayBuffer());
    expect(stored.length).toBeGreaterThan(bytes.length);
    expect(containsSequence(stored, bytes.subarray(0, 16))).toBe(false);
    expect(containsSequence(stored, bytes.subarray(30_000, 30_032))).toBe(false);

    const decrypted = await open(stored, body.document_id, envelopeKeys(env, "demo"));
    expect(await sha256Hex(decrypted)).toBe(await sha256Hex(bytes));
  });

  it("refuses to decrypt an envelope under another document's id", async () => {
    const { id, token } = await createVerification();
    await uploadDocument(token, id);
    const listed = await env.DOCUMENTS.list({ prefix: `tenants/demo/verifications/${id}/` });
    const stored = new Uint8Array(await (await env.DOCUMENTS.get(listed.objects[0]!.key))!.arrayBuffer());
    await expect(open(stored, "some-other-id", envelopeKeys(env, "demo"))).rejects.toThrow();
  });

  it("serves the decrypted bytes to the owner and to tenant staff", async () => {
    const { id, token } = await createVerification();
    const bytes = jpegBytes(3000);
    const { body } = await uploadDocument(token, id, bytes);
    for (const reader of [token, await login("agent2@demo.test")]) {
      const res = await call(`/documents/${body.document_id}/content`, { token: reader });
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toBe("image/jpeg");
      expect(await sha256Hex(new Uint8Array(await res.arrayBuffer()))).toBe(body.document_hash);
    }
  });

  it("shows the document hash on the verification", async () => {
    const { id, token } = await createVerification();
    const { body: doc } = await uploadDocument(token, id, pdfBytes(), "proof_of_address");
    const { body } = await callJson(`/verifications/${id}`, { token });
    expect(body.documents).toEqual([
      expect.objectContaining({ id: doc.document_id, document_hash: doc.document_hash, doc_type: "proof_of_address" }),
    ]);
  });

  it("rejects a file over 10 MiB with 413 and stores nothing", async () => {
    const { id, token } = await createVerification();
    const { status, body } = await uploadDocument(token, id, pngBytes(10 * MiB + 1));
    expect(status).toBe(413);
    expect(body.error.code).toBe("payload_too_large");
    expect((await env.DOCUMENTS.list({ prefix: `tenants/demo/verifications/${id}/` })).objects).toHaveLength(0);
  });

  it("accepts a file of exactly 10 MiB", async () => {
    const { id, token } = await createVerification();
    expect((await uploadDocument(token, id, pngBytes(10 * MiB))).status).toBe(201);
  });

  it("rejects a type outside the list by its magic bytes, whatever its name says (415)", async () => {
    const { id, token } = await createVerification();
    const res = await callJson(`/verifications/${id}/documents`, {
      token,
      body: documentForm(gifBytes(), { doc_type: "passport" }, "passport.png"),
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe("unsupported_media_type");
  });

  it("rejects text disguised as a PNG (415)", async () => {
    const { id, token } = await createVerification();
    const res = await uploadDocument(token, id, new TextEncoder().encode("just some text, not an image"));
    expect(res.status).toBe(415);
  });

  it("rejects a body that is not multipart with 415", async () => {
    const { id, token } = await createVerification();
    const res = await callJson(`/verifications/${id}/documents`, { token, json: { doc_type: "passport" } });
    expect(res.status).toBe(415);
  });

  it("asks for a Content-Length instead of buffering an upload of unknown size (411)", async () => {
    const { id, token } = await createVerification();
    const encoded = new Response(documentForm(pngBytes(), { doc_type: "passport" }));
    const bytes = new Uint8Array(await encoded.clone().arrayBuffer());
    // A stream of unknown length: what a chunked upload looks like.
    const body = new ReadableStream({ start: (c) => (c.enqueue(bytes), c.close()) });
    const res = await call(`/verifications/${id}/documents`, {
      token,
      body,
      headers: { "Content-Type": encoded.headers.get("Content-Type")! },
    });
    expect(res.status).toBe(411);
    expect((await res.json<any>()).error.code).toBe("length_required");
  });

  it("lists both missing fields in a 400", async () => {
    const { id, token } = await createVerification();
    const res = await callJson(`/verifications/${id}/documents`, { token, body: documentForm(null, {}) });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.details)).toEqual(expect.arrayContaining(["file", "doc_type"]));
  });

  it("rejects an unknown doc_type with a 400 naming the field", async () => {
    const { id, token } = await createVerification();
    const res = await uploadDocument(token, id, pngBytes(), "library_card");
    expect(res.status).toBe(400);
    expect(res.body.error.details).toHaveProperty("doc_type");
  });

  it("answers 404 for an unknown verification", async () => {
    const token = await login("customer1@demo.test");
    const res = await uploadDocument(token, "01900000-0000-7000-8000-000000000000");
    expect(res.status).toBe(404);
  });
});

describe("hash-document", () => {
  it("hashes without storing anything", async () => {
    const token = await login("customer4@demo.test");
    const bytes = pdfBytes(7777);
    const before = (await env.DOCUMENTS.list()).objects.length;
    const { status, body } = await callJson("/blockchain/hash-document", { token, body: documentForm(bytes) });
    expect(status).toBe(200);
    expect(body).toEqual({ document_hash: await sha256Hex(bytes), algorithm: "sha256", size: 7777 });
    expect((await env.DOCUMENTS.list()).objects.length).toBe(before);
  });

  it("requires the file field", async () => {
    const token = await login("customer4@demo.test");
    const { status, body } = await callJson("/blockchain/hash-document", { token, body: documentForm(null, { x: "1" }) });
    expect(status).toBe(400);
    expect(body.error.details).toHaveProperty("file");
  });
});

/** A multipart upload whose last bytes are held back until `finish()`: an upload still streaming. */
async function streamingUpload(token: string, verificationId: string, bytes: Uint8Array) {
  const encoded = new Response(documentForm(bytes, { doc_type: "passport" }));
  const type = encoded.headers.get("Content-Type")!;
  const body = new Uint8Array(await encoded.arrayBuffer());
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(body.subarray(0, body.length - 64));
      await held;
      controller.enqueue(body.subarray(body.length - 64));
      controller.close();
    },
  });
  const response = call(`/verifications/${verificationId}/documents`, {
    token,
    body: stream,
    headers: { "Content-Type": type, "Content-Length": String(body.length) },
  });
  return { response, finish: release };
}

describe("frozen submissions", () => {
  it("refuses an upload that finishes after submit with 409 and keeps nothing of it", async () => {
    const { id, token } = await createVerification("customer2@demo.test");
    expect((await uploadDocument(token, id)).status).toBe(201);
    const late = await streamingUpload(token, id, pngBytes(300_000));
    // Let the handler pass its early state check and start reading the body.
    await new Promise((r) => setTimeout(r, 50));
    const submitted = await callJson(`/verifications/${id}/submit`, { token, method: "POST" });
    expect(submitted.status).toBe(200);
    late.finish();
    const res = await late.response;
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("verification_submitted");

    const docs = await env.DB.prepare("SELECT COUNT(*) AS n FROM documents WHERE verification_id = ?").bind(id).first<{ n: number }>();
    expect(docs!.n).toBe(1);
    const objects = await env.DOCUMENTS.list({ prefix: `tenants/demo/verifications/${id}/` });
    expect(objects.objects).toHaveLength(1);
    const leaves = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM audit_records WHERE kind = 'document' AND subject_id IN (SELECT id FROM documents WHERE verification_id = ?)",
    )
      .bind(id)
      .first<{ n: number }>();
    expect(leaves!.n).toBe(1);
    const orphans = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM audit_records a WHERE a.kind = 'document' AND NOT EXISTS (SELECT 1 FROM documents d WHERE a.subject_id = d.id)",
    ).first<{ n: number }>();
    expect(orphans!.n).toBe(0);
    const record = await callJson(`/verifications/${id}`, { token });
    expect(record.body.documents).toHaveLength(1);
  });

  it("refuses uploads to a submitted verification and a submit without documents leaves it open", async () => {
    const { id, token } = await createVerification("customer2@demo.test");
    const empty = await callJson(`/verifications/${id}/submit`, { token, method: "POST" });
    expect(empty.status).toBe(409);
    expect(empty.body.error.code).toBe("no_documents");
    expect((await uploadDocument(token, id)).status).toBe(201);
    expect((await callJson(`/verifications/${id}/submit`, { token, method: "POST" })).status).toBe(200);
    const after = await uploadDocument(token, id);
    expect(after.status).toBe(409);
    expect(after.body.error.code).toBe("verification_submitted");
  });

  it("caps the documents of one verification", async () => {
    const { id, token } = await createVerification("customer3@demo.test");
    const max = Number(env.MAX_DOCUMENTS_PER_VERIFICATION ?? 20);
    for (let i = 0; i < max; i++) expect((await uploadDocument(token, id, pngBytes(600 + i))).status).toBe(201);
    const over = await uploadDocument(token, id, pngBytes(999));
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe("too_many_documents");
    const objects = await env.DOCUMENTS.list({ prefix: `tenants/demo/verifications/${id}/` });
    expect(objects.objects).toHaveLength(max);
  });

  it("caps the open verifications of one customer", async () => {
    const t = await newTenant({ agents: 0, customers: 2 });
    const [customer, other] = t.customers as [TestUser, TestUser];
    const max = Number(env.MAX_OPEN_VERIFICATIONS_PER_CUSTOMER);
    const created = await Promise.all(Array.from({ length: max }, () => callJson("/verifications", { token: customer.token, json: {} })));
    expect(created.every((r) => r.status === 201)).toBe(true);
    const over = await callJson("/verifications", { token: customer.token, json: {} });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe("too_many_open_verifications");
    expect((await callJson("/verifications", { token: other.token, json: {} })).status).toBe(201);
  });
});
