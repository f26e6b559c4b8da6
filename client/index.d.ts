import type { Client } from "openapi-fetch";
import type { components, paths } from "./schema.d.ts";

export type { components, paths };
export type { WebhookEvent, WebhookHeaders } from "./webhooks.d.ts";
export { verifyWebhook } from "./webhooks.d.ts";

export type VerifyIdClientOptions = {
  /** The deployment's origin, e.g. https://verify.example (the client adds /api/v1). */
  baseUrl: string;
  /** A client app's key (`vid_…`), sent as X-API-Key. */
  apiKey?: string;
  /** A user's or a hosted session's token, sent as a bearer token. */
  token?: string;
  fetch?: (input: Request) => Promise<Response>;
  headers?: Record<string, string>;
};

export declare function createVerifyIdClient(options: VerifyIdClientOptions): Client<paths>;
