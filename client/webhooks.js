// Standard Webhooks signatures (https://www.standardwebhooks.com), portable: plain JavaScript
// over WebCrypto, so Node 22, browsers and Workers import it without a build step. The worker
// signs with it (worker/webhooks/signing.ts) and client apps verify with `verifyWebhook`.
// `webhook-signature` is `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">`,
// keyed by the bytes the `whsec_` secret encodes.

export const SECRET_PREFIX = "whsec_";

const b64 = (bytes) => btoa(String.fromCharCode(...bytes));
const unb64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** @param {string} secret @param {string} content @returns {Promise<Uint8Array>} */
async function hmac(secret, content) {
  const raw = unb64(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret);
  const key = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(content)));
}

/** The base64 v1 signature of one attempt. */
export async function signature(secret, id, timestampSeconds, body) {
  return b64(await hmac(secret, `${id}.${timestampSeconds}.${body}`));
}

function equalText(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function header(headers, name) {
  if (typeof headers?.get === "function") return headers.get(name);
  const value = headers?.[name] ?? headers?.[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : (value ?? null);
}

/**
 * Verifies one delivery: a `v1` signature over its id, timestamp and exact body matches `secret`,
 * and the timestamp is within `toleranceSeconds` (default 300) of now. Returns the parsed event
 * `{type, timestamp, data}`; throws an Error otherwise. Deduplicate on `webhook-id`: every
 * retry of an event carries the same one.
 */
export async function verifyWebhook(secret, headers, body, options = {}) {
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  if (!id || !timestamp || !signatures || !/^\d+$/.test(timestamp)) throw new Error("missing webhook headers");
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300)) throw new Error("webhook timestamp out of tolerance");
  const text = typeof body === "string" ? body : new TextDecoder().decode(body);
  const expected = await signature(secret, id, timestamp, text);
  const matches = signatures.split(" ").some((candidate) => {
    const [version, value = ""] = candidate.split(",", 2);
    return version === "v1" && equalText(value, expected);
  });
  if (!matches) throw new Error("webhook signature does not match");
  return JSON.parse(text);
}
