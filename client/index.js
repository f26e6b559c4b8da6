// `verifyid/client`: a typed client for client apps (requests with openapi-fetch, types generated
// from the OpenAPI document into schema.d.ts) and `verifyWebhook` for their webhook receivers.
// Plain JavaScript, so Node 22 imports it from node_modules without a build step.
import createClient from "openapi-fetch";

export { verifyWebhook } from "./webhooks.js";

/**
 * A client for `baseUrl` (the deployment's origin, e.g. https://verify.example): with `apiKey`
 * it sends `X-API-Key`; with `token` (a user's or a hosted session's) a bearer token.
 */
export function createVerifyIdClient({ baseUrl, apiKey, token, fetch: fetchImpl, headers = {} }) {
  const auth = apiKey ? { "X-API-Key": apiKey } : token ? { Authorization: `Bearer ${token}` } : {};
  return createClient({
    baseUrl: `${baseUrl.replace(/\/$/, "")}/api/v1`,
    headers: { ...headers, ...auth },
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}
