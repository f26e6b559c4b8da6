// Audit receipts (API.md "Blockchain and audit"): fetched by document hash from the public
// endpoint and checked in this browser with the log's own verification code.
import { verifyReceipt } from "../../../merkle/index.js";
import { api } from "./api.ts";
import type { AuditPublicKey, Receipt } from "../../../worker/schemas/receipts.ts";

export type { Anchor, Receipt } from "../../../worker/schemas/receipts.ts";
export type PublicKey = AuditPublicKey;
// Looking a receipt up needs no crypto; the customer's page imports it alone (receipt-lookup.ts).
export { isSha256Hex, lookupReceipt, type ReceiptLookup } from "./receipt-lookup.ts";

let publicKey: Promise<PublicKey> | null = null;

/** The log's Ed25519 public key (fetched once per page load). */
export function logPublicKey(): Promise<PublicKey> {
  publicKey ??= api<PublicKey>("/audit/public-key").catch((err: unknown) => {
    publicKey = null;
    throw err;
  });
  return publicKey;
}

export type CheckName = "leaf_hash" | "inclusion" | "checkpoint_body" | "signature" | "document" | "key";
export type Check = { name: CheckName; ok: boolean };
export type ReceiptReport = { ok: boolean; checks: Check[]; errors: string[]; key: PublicKey };

/** The document hash a document leaf commits to (its data is `{"document_hash","salt"}`), or null. */
export function leafDocumentHash(receipt: unknown): string | null {
  const data = (receipt as Partial<Receipt> | null)?.leaf?.data;
  if (typeof data !== "string") return null;
  try {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const record = JSON.parse(new TextDecoder().decode(bytes)) as { document_hash?: unknown };
    return typeof record.document_hash === "string" ? record.document_hash : null;
  } catch {
    return null;
  }
}

/**
 * Every check of `receipt` against the log's public key; with `documentHash`, also that the
 * receipt is about that document. Never throws for a malformed receipt: it fails its checks.
 */
export async function checkReceipt(receipt: unknown, documentHash?: string): Promise<ReceiptReport> {
  const key = await logPublicKey();
  const result = await verifyReceipt(receipt, key.public_key);
  const checks: Check[] = [
    { name: "leaf_hash", ok: result.checks.leaf_hash },
    { name: "inclusion", ok: result.checks.inclusion },
    { name: "checkpoint_body", ok: result.checks.checkpoint_body },
    { name: "signature", ok: result.checks.signature },
  ];
  const errors = [...result.errors];
  const keyId = (receipt as Partial<Receipt> | null)?.checkpoint?.key_id;
  const keyMatches = keyId === key.key_id;
  checks.push({ name: "key", ok: keyMatches });
  if (!keyMatches) errors.push(`checkpoint.key_id is not this log's key ${key.key_id}`);
  if (documentHash) {
    const matches = leafDocumentHash(receipt) === documentHash.toLowerCase();
    checks.push({ name: "document", ok: matches });
    if (!matches) errors.push("the leaf does not commit to this document's SHA-256");
  }
  return { ok: errors.length === 0, checks, errors, key };
}
