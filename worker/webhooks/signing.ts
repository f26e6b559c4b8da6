// Webhook secrets and signed headers. The signature itself is the portable client package's
// (client/webhooks.js), so the worker signs exactly what client apps verify.
import { SECRET_PREFIX, signature } from "../../client/webhooks.js";

/** A new endpoint secret: 24 random bytes. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24))));
}

/** The three Standard Webhooks headers of one attempt; `timestampSeconds` is the attempt's own time. */
export async function signedHeaders(secret: string, id: string, timestampSeconds: number, body: string): Promise<Record<string, string>> {
  const v1 = await signature(secret, id, timestampSeconds, body);
  return { "webhook-id": id, "webhook-timestamp": String(timestampSeconds), "webhook-signature": `v1,${v1}` };
}
