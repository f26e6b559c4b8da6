// Webhook endpoints and deliveries on the wire.
import { z } from "@hono/zod-openapi";
import { Id, Limit, Timestamp } from "./common.ts";

export const WEBHOOK_EVENTS = [
  "verification.submitted",
  "verification.call_started",
  "verification.decided",
  "verification.anchored",
  "ping",
] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENTS).openapi("WebhookEventType");
export type WebhookEventType = z.infer<typeof WebhookEventType>;

export const CreateWebhookRequest = z
  .object({
    url: z.string().min(1, "url is required").max(2000),
    events: z
      .array(WebhookEventType.exclude(["ping"]))
      .min(1, "events must name at least one event")
      .max(WEBHOOK_EVENTS.length),
  })
  .openapi("CreateWebhookRequest");

export const Webhook = z
  .object({ id: z.string(), url: z.string(), events: z.array(WebhookEventType), created_at: Timestamp })
  .openapi("Webhook");

export const CreatedWebhook = Webhook.extend({
  secret: z.string().openapi({ description: "`whsec_…`: signs every delivery; shown this once" }),
}).openapi("CreatedWebhook");

export const WebhookList = z.object({ items: z.array(Webhook) }).openapi("WebhookList");

export const WebhookDelivery = z
  .object({
    id: z.string().openapi({ description: "The `webhook-id` header: the same on every attempt" }),
    event_id: z.string(),
    event: WebhookEventType,
    status: z.enum(["pending", "delivered", "failed"]),
    attempts: z.number().int(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    last_attempt_at: Timestamp.nullable(),
    next_attempt_at: Timestamp.nullable(),
    delivered_at: Timestamp.nullable(),
    created_at: Timestamp,
  })
  .openapi("WebhookDelivery");

export const WebhookDeliveryList = z.object({ items: z.array(WebhookDelivery) }).openapi("WebhookDeliveryList");
export const DeliveryListQuery = z.object({ limit: Limit(50, 200) });

export const DeliveryParams = z.object({
  id: Id.openapi({ param: { name: "id", in: "path" } }),
  delivery_id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "delivery_id", in: "path" } }),
});

export const PingResult = z.object({ delivery_id: z.string(), status: z.literal("queued") }).openapi("WebhookPingResult");
