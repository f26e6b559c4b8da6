// PBKDF2-SHA256 password hashes with WebCrypto, which exists both in workerd and in Node 22
// (the demo seeder runs in Node). Format: pbkdf2$sha256$<iterations>$<salt b64>$<hash b64>.
import { fromBase64, toBase64 } from "../encoding.ts";

// workerd caps PBKDF2 at 100,000 iterations (OWASP asks for more, which workerd refuses),
// so the hash is versioned by its iteration count and can be raised later without a migration.
const ITERATIONS = 100_000;

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

/** Hashes a password with a fresh 16-byte salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, ITERATIONS);
  return `pbkdf2$sha256$${ITERATIONS}$${toBase64(salt)}$${toBase64(hash)}`;
}

/** Constant-time check of a password against a stored hash; false for malformed hashes. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, digest, iterations, salt, expected] = stored.split("$");
  if (scheme !== "pbkdf2" || digest !== "sha256" || !iterations || !salt || !expected) return false;
  const actual = await derive(password, fromBase64(salt), Number(iterations));
  const want = fromBase64(expected);
  if (actual.length !== want.length) return false;
  let diff = 0;
  for (let i = 0; i < want.length; i++) diff |= actual[i]! ^ want[i]!;
  return diff === 0;
}

/** A hash that no password matches, so unknown emails cost the same time as wrong passwords. */
export const DUMMY_HASH = `pbkdf2$sha256$${ITERATIONS}$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`;
