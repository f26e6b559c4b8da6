// Authentication and permission middleware. Tokens come as `Authorization: Bearer`, or for
// WebSocket upgrades (where browsers cannot set headers) as `?token=` or the
// `Sec-WebSocket-Protocol` value `bearer.<token>`.
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { METHOD_NAME_ALL } from "hono/router";
import type { AppEnv } from "../http/app-env.ts";
import { forbidden, unauthorized } from "../http/errors.ts";
import { apiKeyOf, assertKeyMayCall, assertSessionMayCall, principalForApiKey } from "./api-keys.ts";
import { can, type Permission } from "./permissions.ts";
import { assertSessionLive } from "./sessions.ts";
import { verifyToken } from "./tokens.ts";

/** Extracts the bearer token from the header, or from the WebSocket-friendly places. */
export function bearerToken(req: Request): string | null {
  const header = req.headers.get("Authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match ? match[1]! : null;
  }
  if (req.headers.get("Upgrade")?.toLowerCase() === "websocket") {
    const url = new URL(req.url);
    const fromQuery = url.searchParams.get("token");
    if (fromQuery) return fromQuery;
    const protocols =
      req.headers
        .get("Sec-WebSocket-Protocol")
        ?.split(",")
        .map((p) => p.trim()) ?? [];
    const bearer = protocols.find((p) => p.startsWith("bearer."));
    if (bearer) return bearer.slice("bearer.".length);
  }
  return null;
}

/** Verifies the request's API key, or its token (and that its session is live), and puts the
 * principal on the context. `route` ("METHOD /path" under the API base) is the answering route:
 * keys and hosted-session tokens reach only their own routes (auth/api-keys.ts). */
async function authenticate(c: Context<AppEnv>, route: string, path: string): Promise<void> {
  const key = apiKeyOf(c.req.raw);
  if (key) {
    const principal = await principalForApiKey(c.env, key);
    assertKeyMayCall(principal, route);
    c.set("principal", principal);
    return;
  }
  const token = bearerToken(c.req.raw);
  if (!token) throw unauthorized();
  const principal = await verifyToken(token, c.env.JWT_SECRET);
  await assertSessionLive(c.env.DB, principal);
  if (principal.verificationId) assertSessionMayCall(principal, route, path);
  c.set("principal", principal);
}

/**
 * Authentication for a whole API, registered once in front of every route, so it runs once per
 * request: a valid token is needed unless the route that answers is one of `publicRoutes`
 * ("GET /health", paths under `base`). Deciding by the answering route rather than the URL
 * leaves a request that no route answers to the 404.
 */
export function authenticateUnlessPublic(base: string, publicRoutes: readonly string[]): MiddlewareHandler<AppEnv> {
  const open = new Set(publicRoutes.map((route) => route.replace(" ", ` ${base}`)));
  return async (c, next) => {
    // Middleware is registered for every method ("ALL"); the first route with a method answers.
    const answering = matchedRoutes(c).find((route) => route.method !== METHOD_NAME_ALL);
    if (answering && !open.has(`${answering.method} ${answering.path}`)) {
      const under = (p: string) => p.slice(base.length);
      await authenticate(c, `${answering.method} ${under(answering.path)}`, under(new URL(c.req.url).pathname));
    }
    await next();
  };
}

/** Requires the authenticated caller's role to grant `permission` (403 otherwise). An API key's
 * scopes were checked for the route already, in place of a role. */
export function requirePermission(permission: Permission): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const who = c.get("principal");
    if (!who.apiKey && !can(who.role, permission)) throw forbidden(permission);
    await next();
  };
}

/** The principal set by the authentication middleware. */
export function principalOf(c: Context<AppEnv>) {
  return c.get("principal");
}
