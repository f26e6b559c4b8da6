// @ts-check
// Hex and base64 codecs for hashes, keys and signatures. Receipts arrive from outside, so the
// parsers return null on malformed text instead of throwing, and accept only canonical base64.

const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Lowercase hex of `bytes`, the form hashes take in receipts and API responses.
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function toHex(bytes) {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/**
 * Bytes of a hex string (either case), or null when it is not whole bytes of hex.
 * @param {unknown} hex
 * @returns {Uint8Array<ArrayBuffer> | null}
 */
export function parseHex(hex) {
  if (typeof hex !== "string" || !HEX.test(hex)) return null;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/**
 * Bytes of a hex string (either case); throws a TypeError on anything else, for callers that hold trusted input.
 * @param {string} hex
 * @returns {Uint8Array<ArrayBuffer>}
 */
export function fromHex(hex) {
  const bytes = parseHex(hex);
  if (bytes === null) throw new TypeError("expected a hex string of whole bytes");
  return bytes;
}

/**
 * Standard base64 (RFC 4648 §4, padded), as C2SP checkpoints and receipts use it.
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function toBase64(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Bytes of canonical padded base64, or null; non-canonical spellings are refused so that one
 * value has one encoding (a signed body cannot be re-spelled).
 * @param {unknown} text
 * @returns {Uint8Array<ArrayBuffer> | null}
 */
export function parseBase64(text) {
  if (typeof text !== "string" || !BASE64.test(text)) return null;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return toBase64(bytes) === text ? bytes : null;
}

/**
 * Whether two byte strings are equal (hash comparison; nothing here is secret).
 * @param {Uint8Array} a
 * @param {Uint8Array} b
 * @returns {boolean}
 */
export function equalBytes(a, b) {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
