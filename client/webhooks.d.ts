export declare const SECRET_PREFIX = "whsec_";

export type WebhookHeaders = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

export type WebhookEvent = {
  type: "verification.submitted" | "verification.call_started" | "verification.decided" | "verification.anchored" | "ping";
  timestamp: string;
  data: Record<string, unknown> & { verification_id?: string; external_ref?: string | null };
};

export declare function signature(secret: string, id: string, timestampSeconds: number | string, body: string): Promise<string>;

export declare function verifyWebhook(
  secret: string,
  headers: WebhookHeaders,
  body: string | Uint8Array,
  options?: { toleranceSeconds?: number; now?: number },
): Promise<WebhookEvent>;
