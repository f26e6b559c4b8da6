// Envelope encryption for documents and recordings at rest: the R2 object format. Two versions
// are read; only the second is written.
//
//   v2  "VIDE" | 2 | key id length (1 byte) | key id (ASCII) | IV (12 bytes) | ciphertext + GCM tag
//   v1  "VIDE" | 1 | wrapped key (40 bytes) | IV (12 bytes) | ciphertext + GCM tag
//
// A v2 envelope names its data key (one per verification, kept wrapped in D1 by
// worker/lifecycle/keys.ts), so the key can be re-wrapped under a new master key, or destroyed,
// without touching these bytes. A v1 envelope (written before per-verification keys) carries its
// own data key wrapped directly by the master key of version 1. The object id (document or
// recording id) is the GCM additional data, with the v2 header: an envelope moved under another
// id, or given another key id, fails.
import { fromBase64 } from "../encoding.ts";
import { ApiError } from "../http/errors.ts";

/** Names the format written today in an R2 object's metadata. */
export const ENVELOPE_FORMAT = "verifyid-envelope-v2";

const MAGIC = [0x56, 0x49, 0x44, 0x45]; // "VIDE"
const LEGACY_VERSION = 1;
const VERSION = 2;
const WRAPPED_LENGTH = 40;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
const LEGACY_HEADER_LENGTH = MAGIC.length + 1 + WRAPPED_LENGTH + IV_LENGTH;
const MAX_KEY_ID_LENGTH = 255;

/** A data key and the id an envelope names it by. */
export type DataKey = { id: string; key: CryptoKey };

/** How an envelope's data key is found: by key id (v2), or from the wrapped key a v1 envelope
 * carries (its adopted copy in D1 first, else unwrapped by the version 1 master key). */
export type EnvelopeKeys = {
  dataKey(keyId: string): Promise<CryptoKey>;
  legacyDataKey(objectId: string, wrapped: Uint8Array): Promise<CryptoKey>;
};

/** What an envelope's header says, without decrypting anything. */
export type EnvelopeHeader =
  | { version: 1; wrapped: Uint8Array; iv: Uint8Array; bodyOffset: number }
  | { version: 2; keyId: string; iv: Uint8Array; bodyOffset: number; header: Uint8Array };

/** Decodes the header of `envelope` (at least its first bytes); throws when it is not one. */
export function readHeader(envelope: Uint8Array): EnvelopeHeader {
  if (!MAGIC.every((b, i) => envelope[i] === b)) throw new Error("not a VerifyID document envelope");
  const version = envelope[MAGIC.length];
  if (version === LEGACY_VERSION && envelope.length >= LEGACY_HEADER_LENGTH) {
    return {
      version: 1,
      wrapped: envelope.subarray(MAGIC.length + 1, MAGIC.length + 1 + WRAPPED_LENGTH),
      iv: envelope.subarray(MAGIC.length + 1 + WRAPPED_LENGTH, LEGACY_HEADER_LENGTH),
      bodyOffset: LEGACY_HEADER_LENGTH,
    };
  }
  if (version === VERSION && envelope.length > MAGIC.length + 2) {
    const idLength = envelope[MAGIC.length + 1]!;
    const ivAt = MAGIC.length + 2 + idLength;
    if (idLength > 0 && envelope.length >= ivAt + IV_LENGTH) {
      return {
        version: 2,
        keyId: new TextDecoder().decode(envelope.subarray(MAGIC.length + 2, ivAt)),
        iv: envelope.subarray(ivAt, ivAt + IV_LENGTH),
        bodyOffset: ivAt + IV_LENGTH,
        header: envelope.subarray(0, ivAt + IV_LENGTH),
      };
    }
  }
  throw new Error("not a VerifyID document envelope");
}

/** Imports a base64 32-byte key as raw bytes; 503 when it is missing or malformed. */
export function rawMasterKey(b64: string | undefined): Uint8Array {
  let raw: Uint8Array | null = null;
  try {
    raw = b64 ? fromBase64(b64) : null;
  } catch {
    raw = null;
  }
  if (!raw || raw.length !== 32) {
    throw new ApiError(503, "server_misconfigured", "Document encryption is not configured; nothing was stored.");
  }
  return raw;
}

/** The AES-KW key that wrapped v1 envelopes' data keys (the master key itself). */
export async function masterKey(b64: string | undefined): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", rawMasterKey(b64), "AES-KW", false, ["wrapKey", "unwrapKey"]);
}

const additionalData = (objectId: string, header: Uint8Array = new Uint8Array()) => {
  const id = new TextEncoder().encode(objectId);
  const out = new Uint8Array(header.length + id.length);
  out.set(header, 0);
  out.set(id, header.length);
  return out;
};

/** Encrypts `plaintext` for object `objectId` under `dataKey` into a v2 envelope. */
export async function seal(plaintext: Uint8Array, objectId: string, dataKey: DataKey): Promise<Uint8Array> {
  const keyId = new TextEncoder().encode(dataKey.id);
  if (keyId.length === 0 || keyId.length > MAX_KEY_ID_LENGTH) throw new RangeError("a key id is 1 to 255 bytes");
  const iv = crypto.getRandomValues(new Uint8Array(IV_LENGTH));
  const header = new Uint8Array(MAGIC.length + 2 + keyId.length + IV_LENGTH);
  header.set(MAGIC, 0);
  header[MAGIC.length] = VERSION;
  header[MAGIC.length + 1] = keyId.length;
  header.set(keyId, MAGIC.length + 2);
  header.set(iv, MAGIC.length + 2 + keyId.length);
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: additionalData(objectId, header) }, dataKey.key, plaintext),
  );
  const out = new Uint8Array(header.length + ciphertext.length);
  out.set(header, 0);
  out.set(ciphertext, header.length);
  return out;
}

/** Decrypts a v1 or v2 envelope for the same object id; throws when tampered or its key is gone. */
export async function open(envelope: Uint8Array, objectId: string, keys: EnvelopeKeys): Promise<Uint8Array> {
  const head = readHeader(envelope);
  if (envelope.length < head.bodyOffset + TAG_LENGTH) throw new Error("not a VerifyID document envelope");
  const body = envelope.subarray(head.bodyOffset);
  if (head.version === 1) {
    const key = await keys.legacyDataKey(objectId, head.wrapped);
    return new Uint8Array(
      await crypto.subtle.decrypt({ name: "AES-GCM", iv: head.iv, additionalData: additionalData(objectId) }, key, body),
    );
  }
  const key = await keys.dataKey(head.keyId);
  return new Uint8Array(
    await crypto.subtle.decrypt({ name: "AES-GCM", iv: head.iv, additionalData: additionalData(objectId, head.header) }, key, body),
  );
}
