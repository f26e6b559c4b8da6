// Finding a document's audit receipt by its SHA-256 (the public endpoint): no proof checking
// here, so pages that only show whether a receipt exists do not load the log's crypto.
import { failureFrom } from "./api.ts";
import type { Receipt } from "../../../worker/schemas/receipts.ts";

export type ReceiptLookup = { state: "found"; receipt: Receipt } | { state: "queued"; retryAfterSeconds: number } | { state: "missing" };

export const isSha256Hex = (text: string) => /^[0-9a-f]{64}$/i.test(text);

/** The receipt of the document with this SHA-256; "queued" while the log has not taken it yet. */
export async function lookupReceipt(documentHash: string, signal?: AbortSignal): Promise<ReceiptLookup> {
  const res = await fetch(
    `/api/v1/audit/receipts?document_hash=${encodeURIComponent(documentHash.toLowerCase())}`,
    signal ? { signal } : {},
  );
  if (res.status === 202) return { state: "queued", retryAfterSeconds: Number(res.headers.get("Retry-After")) || 2 };
  if (res.status === 404) return { state: "missing" };
  if (!res.ok) throw failureFrom(res.status, await res.json().catch(() => null), false);
  return { state: "found", receipt: (await res.json()) as Receipt };
}
