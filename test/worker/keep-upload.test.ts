// The one upload sequence that documents and recordings share (worker/documents/keep-upload.ts):
// what it stores, and that a refused or failed record leaves nothing in R2.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { open } from "../../worker/documents/envelope.ts";
import { envelopeKeys, verificationDataKey } from "../../worker/lifecycle/keys.ts";
import { keepUpload, type UploadKind } from "../../worker/documents/keep-upload.ts";
import { ApiError, badRequest } from "../../worker/http/errors.ts";
import { documentForm, gifBytes, pngBytes } from "./support/files.ts";

/** A multipart request as a client sends it, with its Content-Length. */
async function multipart(form: FormData): Promise<Request> {
  const encoded = new Request("http://upload.test/", { method: "POST", body: form });
  const body = await encoded.arrayBuffer();
  return new Request("http://upload.test/", {
    method: "POST",
    body,
    headers: { "Content-Type": encoded.headers.get("Content-Type")!, "Content-Length": String(body.byteLength) },
  });
}

const prefix = () => `tests/keep-upload/${crypto.randomUUID()}`;
const TENANT = "t-keep-upload";
const verificationId = crypto.randomUUID();

const pngKind = (
  at: string,
  fields: (form: FormData) => string = (form) => String(form.get("label")),
): UploadKind<"image/png", string> => ({
  maxBytes: 1024 * 1024,
  requiredFields: ["label"],
  fields,
  mediaType: (head) => (head[0] === 0x89 ? "image/png" : null),
  unsupported: () => new ApiError(415, "unsupported_media_type", "PNG only."),
  objectKey: (id) => `${at}/${id}`,
  idMetadata: "file_id",
  sealingKey: (e) => verificationDataKey(e, TENANT, verificationId),
});

describe("keeping an upload", () => {
  it("seals the bytes under the file's own id and its verification's data key, then records it with its hash and type", async () => {
    const at = prefix();
    const bytes = pngBytes(4096);
    const answer = await keepUpload(env, await multipart(documentForm(bytes, { label: "front" })), pngKind(at), async (upload) => upload);
    expect(answer).toMatchObject({ mediaType: "image/png", size: 4096, fields: "front", objectKey: `${at}/${answer.id}` });
    const object = await env.DOCUMENTS.get(answer.objectKey);
    expect(object!.customMetadata).toEqual({ file_id: answer.id, encryption: "verifyid-envelope-v2", key_id: `vk_${verificationId}` });
    const sealed = new Uint8Array(await object!.arrayBuffer());
    expect(await open(sealed, answer.id, envelopeKeys(env, TENANT))).toEqual(bytes);
  });

  it("removes the stored file when the record refuses it", async () => {
    const at = prefix();
    const answer = await keepUpload(env, await multipart(documentForm(pngBytes(), { label: "x" })), pngKind(at), async () => null);
    expect(answer).toBeNull();
    expect((await env.DOCUMENTS.list({ prefix: at })).objects).toEqual([]);
  });

  it("removes the stored file when the record fails", async () => {
    const at = prefix();
    const failing = keepUpload(env, await multipart(documentForm(pngBytes(), { label: "x" })), pngKind(at), async () => {
      throw new Error("D1 is down");
    });
    await expect(failing).rejects.toThrow("D1 is down");
    expect((await env.DOCUMENTS.list({ prefix: at })).objects).toEqual([]);
  });

  it("checks the text fields before the media type, and stores nothing it refuses", async () => {
    const at = prefix();
    const badLabel = pngKind(at, () => {
      throw badRequest("Invalid request: check label.", { label: "bad" });
    });
    const refused = keepUpload(env, await multipart(documentForm(gifBytes(), { label: "x" })), badLabel, async () => true);
    await expect(refused).rejects.toMatchObject({ status: 400 });
    const wrongType = keepUpload(env, await multipart(documentForm(gifBytes(), { label: "x" })), pngKind(at), async () => true);
    await expect(wrongType).rejects.toMatchObject({ status: 415, code: "unsupported_media_type" });
    expect((await env.DOCUMENTS.list({ prefix: at })).objects).toEqual([]);
  });
});
