// The log's Ed25519 key (WebCrypto), from the AUDIT_SIGNING_KEY secret (PKCS#8, base64).
// The key id follows C2SP signed notes: the first 4 bytes of
// SHA-256(origin || "\n" || 0x01 || public key), in hex.
import { fromBase64, toBase64, toHex } from "../encoding.ts";
import { ApiError } from "../http/errors.ts";

export type SigningKey = { privateKey: CryptoKey; publicKey: Uint8Array; keyId: string; origin: string };

let cached: { secret: string; origin: string; key: Promise<SigningKey> } | null = null;

async function load(secret: string, origin: string): Promise<SigningKey> {
  const pkcs8 = fromBase64(secret);
  const extractable = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, true, ["sign"]);
  const jwk = (await crypto.subtle.exportKey("jwk", extractable)) as JsonWebKey;
  const publicKey = fromBase64(jwk.x!.replace(/-/g, "+").replace(/_/g, "/").padEnd(44, "="));
  const privateKey = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, false, ["sign"]);
  const hashInput = new Uint8Array([...new TextEncoder().encode(`${origin}\n`), 0x01, ...publicKey]);
  const keyId = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", hashInput)).subarray(0, 4));
  return { privateKey, publicKey, keyId, origin };
}

/** The signing key for `origin`; 503 when the secret is missing or unusable. */
export async function signingKey(secret: string | undefined, origin: string): Promise<SigningKey> {
  if (!secret) throw new ApiError(503, "server_misconfigured", "The audit log's signing key is not configured.");
  if (!cached || cached.secret !== secret || cached.origin !== origin) {
    const key = load(secret, origin).catch(() => {
      cached = null;
      throw new ApiError(503, "server_misconfigured", "The audit log's signing key could not be read.");
    });
    cached = { secret, origin, key };
  }
  return cached.key;
}

/** Base64 Ed25519 signature of `text`. */
export async function sign(key: SigningKey, text: string): Promise<string> {
  return toBase64(new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, key.privateKey, new TextEncoder().encode(text))));
}
