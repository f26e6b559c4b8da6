// API keys and hosted verification sessions: what client apps send and get back.
import { z } from "@hono/zod-openapi";
import { Timestamp } from "./common.ts";
import { User } from "./auth.ts";
import { CreatedVerification, CreateVerificationRequest, UserInfo, VerificationListQuery } from "./verifications.ts";

export const API_KEY_SCOPES = ["verifications:write", "verifications:read", "webhooks:manage"] as const;
export const ApiKeyScope = z.enum(API_KEY_SCOPES).openapi("ApiKeyScope");
export type ApiKeyScope = z.infer<typeof ApiKeyScope>;

export const CreateApiKeyRequest = z
  .object({
    name: z.string().trim().min(1, "name is required").max(100),
    scopes: z.array(ApiKeyScope).min(1, "scopes must name at least one scope").max(API_KEY_SCOPES.length),
  })
  .openapi("CreateApiKeyRequest");

export const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ description: "The key's first characters, to tell keys apart" }),
    scopes: z.array(ApiKeyScope),
    created_at: Timestamp,
    last_used_at: Timestamp.nullable().openapi({ description: "Precise to about a minute" }),
  })
  .openapi("ApiKey");

export const CreatedApiKey = ApiKey.extend({
  key: z.string().openapi({ description: "The key (`vid_…`): shown this once, stored only as a hash" }),
}).openapi("CreatedApiKey");

export const ApiKeyList = z.object({ items: z.array(ApiKey) }).openapi("ApiKeyList");

/** Where a customer is sent after their verification; https, or http when private URLs are allowed (local). */
const RedirectUrl = z.url({ protocol: /^https?$/, error: "redirect_url must be an http(s) URL" }).max(2000);

/** POST /verifications with a `verifications:write` key. */
export const CreateHostedVerificationRequest = z
  .object({
    external_ref: z.string().trim().min(1, "external_ref is required").max(200),
    user_info: UserInfo.optional(),
    redirect_url: RedirectUrl.optional(),
  })
  .openapi("CreateHostedVerificationRequest");
export type CreateHostedVerificationRequest = z.infer<typeof CreateHostedVerificationRequest>;

/** The create route's body: a customer's, or with a key also `external_ref` (required then) and `redirect_url`. */
export const CreateVerificationBody = CreateVerificationRequest.extend({
  external_ref: CreateHostedVerificationRequest.shape.external_ref
    .optional()
    .openapi({ description: "API keys: your reference (required)" }),
  redirect_url: RedirectUrl.optional().openapi({ description: "API keys: where the customer goes once finished" }),
}).openapi("CreateVerificationBody");

/** The list query, plus `external_ref` for client apps. */
export const VerificationLookupQuery = VerificationListQuery.extend({ external_ref: z.string().min(1).max(200).optional() });

export const CreatedHostedVerification = z
  .object({
    id: z.string(),
    status: z.string(),
    external_ref: z.string(),
    redirect_url: z.string().nullable(),
    session_url: z.string().openapi({ description: "Send this link to the user; it opens the phone-first customer flow" }),
    session_expires_at: Timestamp,
  })
  .openapi("CreatedHostedVerification");

export const CreatedVerificationAnswer = z.union([CreatedVerification, CreatedHostedVerification]);

export const IdempotencyHeader = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(255)
    .optional()
    .openapi({
      param: { name: "idempotency-key", in: "header" },
      description: "A retried create with the same key returns the same verification",
    }),
});

export const SessionExchangeRequest = z
  .object({ session_token: z.string().min(1, "session_token is required").max(300) })
  .openapi("SessionExchangeRequest");

export const SessionExchangeResponse = z
  .object({
    token: z.string().openapi({ description: "A customer token that reaches this one verification only" }),
    expires_at: Timestamp,
    user: User,
    verification_id: z.string(),
    redirect_url: z.string().nullable(),
  })
  .openapi("SessionExchangeResponse");
