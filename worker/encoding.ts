// Byte encodings used across the worker, the Durable Objects and the Node scripts: one
// implementation, shared with the portable merkle package that auditors run.
import { parseBase64, toBase64, toHex as hexOf } from "../merkle/encoding.js";

export { toBase64 };

export function toHex(bytes: Uint8Array | ArrayBuffer): string {
  return hexOf(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
}

/** Bytes of canonical padded base64; throws a TypeError on anything else. */
export function fromBase64(b64: string): Uint8Array {
  const bytes = parseBase64(b64);
  if (!bytes) throw new TypeError("expected canonical base64");
  return bytes;
}

export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return toHex(await crypto.subtle.digest("SHA-256", bytes));
}

/** HMAC-SHA256 of `data` under `key` (raw bytes), lowercase hex. */
export async function hmacSha256Hex(key: Uint8Array, data: string): Promise<string> {
  const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return toHex(await crypto.subtle.sign("HMAC", cryptoKey, new TextEncoder().encode(data)));
}
