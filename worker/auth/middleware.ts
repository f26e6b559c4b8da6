// Authentication and permission middleware. Tokens come as `Authorization: Bearer`, or for
// WebSocket upgrades (where browsers cannot set headers) as `?token=` or the
// `Sec-WebSocket-Protocol` value `bearer.<token>`.
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../http/app-env.ts";
import { forbidden, unauthorized } from "../http/errors.ts";
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

/** Requires a valid token and puts the caller's principal on the context. */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  // Route groups share paths, so this can run twice for one request: verify once.
  if (!c.get("principal")) {
    const token = bearerToken(c.req.raw);
    if (!token) throw unauthorized();
    const principal = await verifyToken(token, c.env.JWT_SECRET);
    await assertSessionLive(c.env.DB, principal);
    c.set("principal", principal);
  }
  await next();
};

/** Requires the authenticated caller's role to grant `permission` (403 otherwise). */
export function requirePermission(permission: Permission): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!can(c.get("principal").role, permission)) throw forbidden(permission);
    await next();
  };
}

/** The principal set by `authenticate`. */
export function principalOf(c: Context<AppEnv>) {
  return c.get("principal");
}
