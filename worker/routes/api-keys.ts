// Client apps' API keys (managers) and the exchange of a hosted session's link for a token.
import { createRoute } from "@hono/zod-openapi";
import { apiKeyHash, forgetApiKey, newApiKey, API_KEY_PREFIX } from "../auth/api-keys.ts";
import { principalOf, requirePermission } from "../auth/middleware.ts";
import { database } from "../db/client.ts";
import { apiKeysOf, insertApiKey, publicApiKey, revokeApiKey } from "../db/api-keys.ts";
import { notFound } from "../http/errors.ts";
import { router } from "../http/openapi.ts";
import { clientIp, rateLimit } from "../http/rate-limits.ts";
import { newId } from "../ids.ts";
import { ApiKeyList, CreateApiKeyRequest, CreatedApiKey, SessionExchangeRequest, SessionExchangeResponse } from "../schemas/api-keys.ts";
import { errors, IdParam, json, jsonBody } from "../schemas/common.ts";
import { exchangeSessionToken } from "../verifications/hosted.ts";

export const apiKeyRoutes = router();
apiKeyRoutes.use("*", requirePermission("integrations.manage"));

apiKeyRoutes.openapi(
  createRoute({
    method: "post",
    path: "/",
    tags: ["client apps"],
    summary: "Create an API key for a client app (the key is shown once)",
    security: [{ bearer: [] }],
    request: { body: jsonBody(CreateApiKeyRequest) },
    responses: { 201: json(CreatedApiKey, "The key, this once"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const who = principalOf(c);
    const { name, scopes } = c.req.valid("json");
    const key = newApiKey();
    const now = Date.now();
    const row = await insertApiKey(database(c.env.DB), {
      id: newId(now),
      tenantId: who.tenantId,
      name,
      prefix: key.slice(0, API_KEY_PREFIX.length + 6),
      keyHash: await apiKeyHash(key),
      scopes: JSON.stringify([...new Set(scopes)]),
      createdBy: who.userId,
      createdAt: now,
    });
    return c.json({ ...publicApiKey(row), key }, 201);
  },
);

apiKeyRoutes.openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["client apps"],
    summary: "The tenant's live API keys, without their secrets",
    security: [{ bearer: [] }],
    responses: { 200: json(ApiKeyList, "Keys"), ...errors(401, 403) },
  }),
  async (c) => c.json({ items: (await apiKeysOf(database(c.env.DB), principalOf(c).tenantId)).map(publicApiKey) }, 200),
);

apiKeyRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/{id}",
    tags: ["client apps"],
    summary: "Revoke an API key (at once in this isolate, within API_KEY_CACHE_SECONDS everywhere)",
    security: [{ bearer: [] }],
    request: { params: IdParam },
    responses: { 204: { description: "Revoked" }, ...errors(401, 403, 404) },
  }),
  async (c) => {
    const hash = await revokeApiKey(database(c.env.DB), principalOf(c).tenantId, c.req.valid("param").id, Date.now());
    if (!hash) throw notFound("API key");
    forgetApiKey(hash);
    return c.body(null, 204);
  },
);

export const sessionExchangeRoutes = router();

sessionExchangeRoutes.openapi(
  createRoute({
    method: "post",
    path: "/",
    tags: ["client apps"],
    summary: "Exchange a hosted session link's token for a customer token scoped to its verification",
    middleware: [rateLimit("login_ip", clientIp)] as const,
    request: { body: jsonBody(SessionExchangeRequest) },
    responses: { 200: json(SessionExchangeResponse, "A customer token for that verification"), ...errors(400, 401, 409, 429) },
  }),
  async (c) => c.json(await exchangeSessionToken(c.env, c.req.valid("json").session_token), 200),
);
