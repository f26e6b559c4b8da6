// Standard Webhooks signatures (https://www.standardwebhooks.com): `webhook-signature` is
// `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">`, keyed by the bytes the
// `whsec_` secret encodes. Pure apart from WebCrypto, so the client package reuses it.

export const SECRET_PREFIX = "whsec_";

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** A new endpoint secret: 24 random bytes. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + b64(crypto.getRandomValues(new Uint8Array(24)));
}

async function hmac(secret: string, content: string): Promise<Uint8Array> {
  const raw = unb64(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret);
  const key = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(content)));
}

/** The three headers of one attempt; `timestampSeconds` is the attempt's own time. */
export async function signedHeaders(secret: string, id: string, timestampSeconds: number, body: string): Promise<Record<string, string>> {
  const signature = b64(await hmac(secret, `${id}.${timestampSeconds}.${body}`));
  return { "webhook-id": id, "webhook-timestamp": String(timestampSeconds), "webhook-signature": `v1,${signature}` };
}

/** Checks a delivery's headers and exact body against `secret`: a signature matches and the
 * timestamp is within `toleranceSeconds` of `now`. Constant-time per signature compared. */
export async function verifySignature(
  secret: string,
  headers: { get(name: string): string | null } | Record<string, string | undefined>,
  body: string,
  options: { toleranceSeconds?: number; now?: number } = {},
): Promise<boolean> {
  const get = (name: string) =>
    typeof (headers as { get?: unknown }).get === "function"
      ? (headers as { get(name: string): string | null }).get(name)
      : ((headers as Record<string, string | undefined>)[name] ?? null);
  const id = get("webhook-id");
  const timestamp = get("webhook-timestamp");
  const signatures = get("webhook-signature");
  if (!id || !timestamp || !signatures || !/^\d+$/.test(timestamp)) return false;
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300)) return false;
  const expected = b64(await hmac(secret, `${id}.${timestamp}.${body}`));
  let ok = false;
  for (const candidate of signatures.split(" ")) {
    const [version, value = ""] = candidate.split(",", 2);
    if (version === "v1" && equalText(value, expected)) ok = true;
  }
  return ok;
}

function equalText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
