// Per-verification data keys, envelopes that name them, documents stored before this change,
// and master key rotation that re-wraps keys without touching a document byte.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { database } from "../../../worker/db/client.ts";
import { dataKeysOf } from "../../../worker/db/data-keys.ts";
import { documentContent } from "../../../worker/documents/content.ts";
import { readHeader } from "../../../worker/documents/envelope.ts";
import { masterKeys, unwrapDataKey, verificationDataKey } from "../../../worker/lifecycle/keys.ts";
import { rotateDataKeys } from "../../../worker/lifecycle/rotation.ts";
import { call, callJson } from "../support/api.ts";
import { pngBytes, sha256Hex } from "../support/files.ts";
import { newTenant, type TestUser } from "../support/tenant.ts";
import { newMasterKey, principal, r2Bytes, storeTheOldWay, withMasterKey } from "./support.ts";

async function verificationWithDocument(customer: TestUser, bytes = pngBytes()) {
  const { body: v } = await callJson("/verifications", { token: customer.token, json: {} });
  const form = new FormData();
  form.set("file", new File([bytes], "scan.png", { type: "image/png" }));
  form.set("doc_type", "passport");
  const { status, body: doc } = await callJson(`/verifications/${v.id}/documents`, { token: customer.token, body: form });
  if (status !== 201) throw new Error(`upload: ${status} ${JSON.stringify(doc)}`);
  const row = await env.DB.prepare("SELECT object_key FROM documents WHERE id = ?").bind(doc.document_id).first<{ object_key: string }>();
  return { verificationId: v.id as string, documentId: doc.document_id as string, objectKey: row!.object_key, bytes };
}

async function readAs(e: Env, user: TestUser, documentId: string) {
  return sha256Hex((await documentContent(e, principal(user), documentId)).bytes);
}

/** Rotation steps of `limit` until done; returns the steps taken. */
async function rotateFully(e: Env, limit: number) {
  const steps = [];
  let cursor = "";
  for (let i = 0; i < 1000; i++) {
    const step = await rotateDataKeys(e, cursor, limit);
    steps.push(step);
    if (step.done) return steps;
    cursor = step.next_cursor ?? cursor;
  }
  throw new Error("rotation did not finish");
}

describe("data keys", () => {
  it("seals each upload under its verification's own data key, named in a v2 envelope", async () => {
    const tenant = await newTenant({ customers: 1 });
    const first = await verificationWithDocument(tenant.customers[0]!);
    const header = readHeader((await r2Bytes(first.objectKey))!);
    expect(header).toMatchObject({ version: 2, keyId: `vk_${first.verificationId}` });
    const keys = await dataKeysOf(database(env.DB), first.verificationId);
    expect(keys).toEqual([expect.objectContaining({ id: `vk_${first.verificationId}`, tenantId: tenant.id, masterVersion: 1 })]);
    expect(keys[0]!.wrappedKey).toMatch(/^[A-Za-z0-9+/]{54}==$/);

    const second = await verificationWithDocument(tenant.customers[0]!);
    expect(readHeader((await r2Bytes(second.objectKey))!)).toMatchObject({ keyId: `vk_${second.verificationId}` });
  });

  it("still serves a document stored the old way (v1 envelope under the master key)", async () => {
    const tenant = await newTenant({ customers: 1 });
    const customer = tenant.customers[0]!;
    const doc = await verificationWithDocument(customer);
    const old = pngBytes(3000);
    await storeTheOldWay(doc.documentId, old);
    expect(readHeader((await r2Bytes(doc.objectKey))!).version).toBe(1);
    const res = await call(`/documents/${doc.documentId}/content`, { token: customer.token });
    expect(res.status).toBe(200);
    expect(await sha256Hex(new Uint8Array(await res.arrayBuffer()))).toBe(await sha256Hex(old));
  });

  it("wraps data keys under a key of their own tenant: another tenant's key cannot unwrap them", async () => {
    const [a, b] = [await newTenant({ customers: 1 }), await newTenant({ customers: 0 })];
    const doc = await verificationWithDocument(a.customers[0]!);
    const [row] = await dataKeysOf(database(env.DB), doc.verificationId);
    const masters = masterKeys(env);
    await expect(unwrapDataKey(masters, row!)).resolves.toBeDefined();
    await expect(unwrapDataKey(masters, { ...row!, tenantId: b.id })).rejects.toThrow();
  });
});

describe("master key rotation", () => {
  it("re-wraps every data key under the new version without rewriting any document, while old and new envelopes decrypt", async () => {
    const tenant = await newTenant({ customers: 1 });
    const customer = tenant.customers[0]!;
    const current = await verificationWithDocument(customer);
    const legacy = await verificationWithDocument(customer);
    const legacyBytes = pngBytes(2500);
    await storeTheOldWay(legacy.documentId, legacyBytes);

    const v1 = env.DOCUMENT_MASTER_KEY;
    const v2 = newMasterKey();
    const during = withMasterKey(v2, 2, { 1: v1 });
    // A verification whose key is made after the switch is wrapped under version 2 at once.
    const fresh = await verificationWithDocument(customer);
    const freshKey = await verificationDataKey(during, tenant.id, `${fresh.verificationId}-later`);
    expect(freshKey.id).toBe(`vk_${fresh.verificationId}-later`);
    expect((await dataKeysOf(database(env.DB), `${fresh.verificationId}-later`))[0]!.masterVersion).toBe(2);

    const before = new Map<string, Uint8Array>();
    for (const d of [current, legacy, fresh]) before.set(d.objectKey, (await r2Bytes(d.objectKey))!);

    // Mixed versions: before the rotation every envelope opens with both keys configured.
    expect(await readAs(during, customer, current.documentId)).toBe(await sha256Hex(current.bytes));
    expect(await readAs(during, customer, legacy.documentId)).toBe(await sha256Hex(legacyBytes));

    const steps = await rotateFully(during, 2);
    expect(steps.length).toBeGreaterThan(1);
    expect(steps.reduce((n, s) => n + s.adopted, 0)).toBeGreaterThanOrEqual(1);
    expect(steps.at(-1)).toMatchObject({ master_version: 2, done: true, next_cursor: null });

    const keys = [
      ...(await dataKeysOf(database(env.DB), current.verificationId)),
      ...(await dataKeysOf(database(env.DB), legacy.verificationId)),
    ];
    expect(keys.map((k) => [k.id, k.masterVersion])).toEqual(
      expect.arrayContaining([
        [`vk_${current.verificationId}`, 2],
        [`lk_${legacy.documentId}`, 2],
      ]),
    );
    for (const [key, bytes] of before) expect(await r2Bytes(key)).toEqual(bytes);

    // The retired key can go: version 2 alone opens every envelope, the legacy one included.
    const after = withMasterKey(v2, 2);
    expect(await readAs(after, customer, current.documentId)).toBe(await sha256Hex(current.bytes));
    expect(await readAs(after, customer, legacy.documentId)).toBe(await sha256Hex(legacyBytes));
    expect(await readAs(after, customer, fresh.documentId)).toBe(await sha256Hex(fresh.bytes));
    // ...and the old master key alone no longer opens the re-wrapped keys.
    await expect(documentContent(withMasterKey(v1, 1), principal(customer), current.documentId)).rejects.toThrow();
  });

  it("is a route for operators only, and a finished rotation is a no-op", async () => {
    const tenant = await newTenant({ customers: 1 });
    expect((await call("/admin/keys/rotate", { method: "POST", token: tenant.customers[0]!.token, json: {} })).status).toBe(403);
    expect((await call("/admin/keys/rotate", { method: "POST", token: tenant.agents[0]!.token, json: {} })).status).toBe(403);
    let cursor = "";
    for (;;) {
      const { status, body } = await callJson("/admin/keys/rotate", { method: "POST", token: tenant.it.token, json: { cursor } });
      expect(status).toBe(200);
      expect(body.master_version).toBe(1);
      if (body.done) break;
      cursor = body.next_cursor ?? cursor;
    }
    const { body } = await callJson("/admin/keys/rotate", { method: "POST", token: tenant.manager.token });
    expect(body).toMatchObject({ master_version: 1, rewrapped: 0 });
  });
});
