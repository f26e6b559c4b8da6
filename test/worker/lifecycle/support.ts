// Shared by the lifecycle tests: documents stored the way they were before per-verification
// keys (a v1 envelope, its data key wrapped directly by the master key), and environments with
// another master key version.
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { Principal } from "../../../worker/auth/principal.ts";
import { fromBase64 } from "../../../worker/encoding.ts";
import { callJson, type Json } from "../support/api.ts";
import { auditLog, logPendingRecords } from "../support/audit.ts";
import { uploadDocument } from "../support/factories.ts";
import { pngBytes } from "../support/files.ts";
import { coordinator as coordinatorOf, makeReady } from "../support/queue.ts";
import type { TestTenant, TestUser } from "../support/tenant.ts";

/** The v1 envelope format exactly as the worker wrote it before this change:
 * "VIDE" | 1 | AES-KW(master, data key) (40 bytes) | IV (12) | AES-GCM(data key, aad = id). */
export async function legacyEnvelope(plaintext: Uint8Array, objectId: string, masterB64 = env.DOCUMENT_MASTER_KEY): Promise<Uint8Array> {
  const kek = await crypto.subtle.importKey("raw", fromBase64(masterB64), "AES-KW", false, ["wrapKey"]);
  const dataKey = (await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt"])) as CryptoKey;
  const wrapped = new Uint8Array(await crypto.subtle.wrapKey("raw", dataKey, kek, "AES-KW"));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const additionalData = new TextEncoder().encode(objectId);
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData }, dataKey, plaintext));
  const out = new Uint8Array(4 + 1 + 40 + 12 + ciphertext.length);
  out.set([0x56, 0x49, 0x44, 0x45, 1], 0);
  out.set(wrapped, 5);
  out.set(iv, 45);
  out.set(ciphertext, 57);
  return out;
}

/** Replaces a stored document's R2 object with a v1 envelope of `plaintext`, as if it had been
 * uploaded before this change. */
export async function storeTheOldWay(documentId: string, plaintext: Uint8Array): Promise<void> {
  const row = await env.DB.prepare("SELECT object_key FROM documents WHERE id = ?").bind(documentId).first<{ object_key: string }>();
  if (!row) throw new Error(`no document ${documentId}`);
  await env.DOCUMENTS.put(row.object_key, await legacyEnvelope(plaintext, documentId), {
    customMetadata: { document_id: documentId, encryption: "verifyid-envelope-v1" },
  });
}

/** A fresh random 32-byte master key, base64. */
export function newMasterKey(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
}

/** The test environment with another current master key version (and, optionally, retired ones). */
export function withMasterKey(key: string, version: number, retired: Record<number, string> = {}): Env {
  const pairs = Object.entries(retired).map(([v, k]) => `${v}:${k}`);
  return {
    ...env,
    DOCUMENT_MASTER_KEY: key,
    DOCUMENT_MASTER_KEY_VERSION: String(version),
    DOCUMENT_MASTER_KEYS_RETIRED: pairs.join(","),
  } as Env;
}

/** A principal for calling the worker's functions directly as `user`. */
export function principal(user: TestUser): Principal {
  return {
    userId: user.id,
    tenantId: user.tenantId,
    role: user.role,
    name: user.name,
    sessionId: crypto.randomUUID(),
    expiresAt: Date.now() + 3600_000,
    epoch: 0,
  };
}

export async function r2Bytes(objectKey: string): Promise<Uint8Array | null> {
  const object = await env.DOCUMENTS.get(objectKey);
  return object ? new Uint8Array(await object.arrayBuffer()) : null;
}

/** Personal data as a customer gives it, so a test can look for every trace of it afterwards. */
export const PERSON = { name: "Erika Mustermann", email: "erika.mustermann@example.test", date_of_birth: "1964-08-12" };
export const NOTES = "Passport of Erika Mustermann checked; face matches.";

/** A verification taken through the whole flow: two documents, submitted, called, approved by
 * the agent, its call in D1 and every record about it in the log. */
export async function decidedVerification(t: TestTenant, customer: TestUser = t.customers[0]!) {
  const agent = t.agents[0]!;
  await makeReady(agent);
  const created = await callJson("/verifications", { token: customer.token, json: { user_info: PERSON } });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const documents: Json[] = [];
  for (const bytes of [pngBytes(), pngBytes()]) {
    const upload = await uploadDocument(customer.token, id, bytes);
    expect(upload.status).toBe(201);
    documents.push({ ...upload.body, bytes });
  }
  const submitted = await callJson(`/verifications/${id}/submit`, { token: customer.token, method: "POST" });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
  const callId = submitted.body.call_id as string;
  expect((await callJson(`/video-calls/${callId}/accept`, { token: agent.token, method: "POST" })).status).toBe(200);
  expect((await callJson(`/video-calls/${callId}/start`, { token: agent.token, method: "POST" })).status).toBe(200);
  const completed = await callJson(`/video-calls/${callId}/complete`, {
    token: agent.token,
    json: { call_notes: NOTES, verification_result: "approved", reason_code: "IDENTITY_CONFIRMED", duration_seconds: 200 },
  });
  expect(completed.status, JSON.stringify(completed.body)).toBe(200);
  await coordinatorOf(t).flushOutbox();
  await logPendingRecords();
  return { id, callId, documents, agent, customer };
}

/** Every stored leaf of the log, by index. */
export async function allLeaves() {
  const size = await auditLog().size();
  const leaves = [];
  for (let i = 0; i < size; i++) leaves.push((await auditLog().leaf(i))!);
  return leaves;
}
