// Envelope encryption for documents at rest. Each document gets its own random AES-256-GCM
// data key; the data key is wrapped (AES-KW) by the master key from configuration. The R2
// object is self-describing, so a document stays readable with nothing but its bytes, its
// id and the master key:
//
//   "VIDE" | version (1 byte) | wrapped key (40 bytes) | IV (12 bytes) | ciphertext + GCM tag
//
// The document id is the GCM additional data: an envelope moved under another id fails.
import { fromBase64 } from "../encoding.ts";
import { ApiError } from "../http/errors.ts";

/** Names the format in an R2 object's metadata. */
export const ENVELOPE_FORMAT = "verifyid-envelope-v1";

const MAGIC = [0x56, 0x49, 0x44, 0x45]; // "VIDE"
const VERSION = 1;
const WRAPPED_LENGTH = 40;
const IV_LENGTH = 12;
const HEADER_LENGTH = MAGIC.length + 1 + WRAPPED_LENGTH + IV_LENGTH;

/** Imports the base64 master key; 503 when it is missing or not 32 bytes. */
export async function masterKey(b64: string | undefined): Promise<CryptoKey> {
  let raw: Uint8Array | null = null;
  try {
    raw = b64 ? fromBase64(b64) : null;
  } catch {
    raw = null;
  }
  if (!raw || raw.length !== 32) {
    throw new ApiError(503, "server_misconfigured", "Document encryption is not configured; nothing was stored.");
  }
  return crypto.subtle.importKey("raw", raw, "AES-KW", false, ["wrapKey", "unwrapKey"]);
}

/** Encrypts `plaintext` for document `documentId` into a self-describing envelope. */
export async function seal(plaintext: Uint8Array, documentId: string, kek: CryptoKey): Promise<Uint8Array> {
  const dataKey = (await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt"])) as CryptoKey;
  const wrapped = new Uint8Array(await crypto.subtle.wrapKey("raw", dataKey, kek, "AES-KW"));
  const iv = crypto.getRandomValues(new Uint8Array(IV_LENGTH));
  const additionalData = new TextEncoder().encode(documentId);
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData }, dataKey, plaintext));
  const out = new Uint8Array(HEADER_LENGTH + ciphertext.length);
  out.set(MAGIC, 0);
  out[MAGIC.length] = VERSION;
  out.set(wrapped, MAGIC.length + 1);
  out.set(iv, MAGIC.length + 1 + WRAPPED_LENGTH);
  out.set(ciphertext, HEADER_LENGTH);
  return out;
}

/** Decrypts an envelope made by `seal` for the same document id; throws when tampered. */
export async function open(envelope: Uint8Array, documentId: string, kek: CryptoKey): Promise<Uint8Array> {
  const magicOk = MAGIC.every((b, i) => envelope[i] === b);
  if (!magicOk || envelope[MAGIC.length] !== VERSION || envelope.length < HEADER_LENGTH + 16) {
    throw new Error("not a VerifyID document envelope");
  }
  const wrapped = envelope.subarray(MAGIC.length + 1, MAGIC.length + 1 + WRAPPED_LENGTH);
  const iv = envelope.subarray(MAGIC.length + 1 + WRAPPED_LENGTH, HEADER_LENGTH);
  const dataKey = (await crypto.subtle.unwrapKey("raw", wrapped, kek, "AES-KW", "AES-GCM", false, ["decrypt"])) as CryptoKey;
  const additionalData = new TextEncoder().encode(documentId);
  return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData }, dataKey, envelope.subarray(HEADER_LENGTH)));
}
