// Webhook endpoints of a tenant (managers, or API keys with webhooks:manage): add, list, delete,
// send a test ping, list deliveries and re-send one.
import { createRoute } from "@hono/zod-openapi";
import { principalOf, requirePermission } from "../auth/middleware.ts";
import { configFrom } from "../config.ts";
import { database } from "../db/client.ts";
import {
  deleteEndpoint,
  deliveriesOf,
  deliveryOfEndpoint,
  endpointInTenant,
  endpointsOf,
  insertEndpoint,
  publicDelivery,
  publicEndpoint,
  requeueDelivery,
} from "../db/webhooks.ts";
import { badRequest, notFound } from "../http/errors.ts";
import { router } from "../http/openapi.ts";
import { newId } from "../ids.ts";
import { errors, IdParam, json, jsonBody } from "../schemas/common.ts";
import {
  CreatedWebhook,
  CreateWebhookRequest,
  DeliveryListQuery,
  DeliveryParams,
  PingResult,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookList,
} from "../schemas/webhooks.ts";
import { queueEvents, recordEventStatement } from "../webhooks/events.ts";
import { queueDeliveries } from "../webhooks/queue.ts";
import { newWebhookSecret } from "../webhooks/signing.ts";
import { webhookUrlRefusal } from "../webhooks/url-policy.ts";

export const webhookRoutes = router();
webhookRoutes.use("*", requirePermission("integrations.manage"));

const security: Array<Record<string, string[]>> = [{ bearer: [] }, { apiKey: [] }];

webhookRoutes.openapi(
  createRoute({
    method: "post",
    path: "/",
    tags: ["client apps"],
    summary: "Add a webhook endpoint (https, public address; the secret is shown once)",
    security,
    request: { body: jsonBody(CreateWebhookRequest) },
    responses: { 201: json(CreatedWebhook, "The endpoint and its secret"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const { url, events } = c.req.valid("json");
    const refusal = await webhookUrlRefusal(url, configFrom(c.env).clientApps.webhooks.allowPrivateUrls);
    if (refusal) throw badRequest("Invalid request: check url.", { url: refusal });
    const secret = newWebhookSecret();
    const now = Date.now();
    const row = await insertEndpoint(database(c.env.DB), {
      id: newId(now),
      tenantId: principalOf(c).tenantId,
      url,
      events: JSON.stringify([...new Set(events)]),
      secret,
      createdAt: now,
    });
    return c.json({ ...publicEndpoint(row), secret }, 201);
  },
);

webhookRoutes.openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["client apps"],
    summary: "The tenant's webhook endpoints (without secrets)",
    security,
    responses: { 200: json(WebhookList, "Endpoints"), ...errors(401, 403) },
  }),
  async (c) => c.json({ items: (await endpointsOf(database(c.env.DB), principalOf(c).tenantId)).map(publicEndpoint) }, 200),
);

webhookRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/{id}",
    tags: ["client apps"],
    summary: "Delete a webhook endpoint: nothing more is sent to it",
    security,
    request: { params: IdParam },
    responses: { 204: { description: "Deleted" }, ...errors(401, 403, 404) },
  }),
  async (c) => {
    if (!(await deleteEndpoint(database(c.env.DB), principalOf(c).tenantId, c.req.valid("param").id, Date.now()))) {
      throw notFound("Webhook");
    }
    return c.body(null, 204);
  },
);

webhookRoutes.openapi(
  createRoute({
    method: "post",
    path: "/{id}/test",
    tags: ["client apps"],
    summary: "Send a signed `ping` event to the endpoint",
    security,
    request: { params: IdParam },
    responses: { 202: json(PingResult, "Queued"), ...errors(401, 403, 404) },
  }),
  async (c) => {
    const db = database(c.env.DB);
    const endpoint = await endpointInTenant(db, principalOf(c).tenantId, c.req.valid("param").id);
    if (!endpoint) throw notFound("Webhook");
    const now = Date.now();
    const event = {
      id: `ping-${newId(now)}`,
      tenant_id: endpoint.tenantId,
      type: "ping" as const,
      verification_id: null,
      at: now,
      data: { webhook_id: endpoint.id },
    };
    await recordEventStatement(c.env.DB, event, endpoint.id).run();
    const [delivery] = await db.query.webhookDeliveries.findMany({
      where: (d, { and, eq }) => and(eq(d.eventId, event.id), eq(d.endpointId, endpoint.id)),
    });
    await queueEvents(c.env, [event.id]);
    return c.json({ delivery_id: delivery!.id, status: "queued" as const }, 202);
  },
);

webhookRoutes.openapi(
  createRoute({
    method: "get",
    path: "/{id}/deliveries",
    tags: ["client apps"],
    summary: "The endpoint's deliveries, newest first: event, status, attempts, last answer, next attempt",
    security,
    request: { params: IdParam, query: DeliveryListQuery },
    responses: { 200: json(WebhookDeliveryList, "Deliveries"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    const db = database(c.env.DB);
    const endpoint = await endpointInTenant(db, principalOf(c).tenantId, c.req.valid("param").id);
    if (!endpoint) throw notFound("Webhook");
    return c.json({ items: (await deliveriesOf(db, endpoint.id, c.req.valid("query").limit)).map(publicDelivery) }, 200);
  },
);

webhookRoutes.openapi(
  createRoute({
    method: "post",
    path: "/{id}/deliveries/{delivery_id}/retry",
    tags: ["client apps"],
    summary: "Send one delivery again now (same webhook-id), with a fresh retry schedule",
    security,
    request: { params: DeliveryParams },
    responses: { 202: json(WebhookDelivery, "Queued again"), ...errors(401, 403, 404) },
  }),
  async (c) => {
    const db = database(c.env.DB);
    const { id, delivery_id } = c.req.valid("param");
    const endpoint = await endpointInTenant(db, principalOf(c).tenantId, id);
    const delivery = endpoint ? await deliveryOfEndpoint(db, endpoint.id, delivery_id) : undefined;
    if (!delivery) throw notFound("Delivery");
    const now = Date.now();
    await requeueDelivery(db, delivery.id, now);
    await queueDeliveries(c.env, [delivery.id]);
    return c.json(publicDelivery({ ...delivery, status: "pending", nextAttemptAt: now }), 202);
  },
);
