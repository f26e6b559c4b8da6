// Client apps' API keys (`vid_…`) and what a key, or a hosted session's customer token, may call.
//
// A key is a 256-bit random secret; D1 keeps only its SHA-256. Looking a key up would cost a D1
// round trip per request, so each isolate caches the lookup for API_KEY_CACHE_SECONDS (default
// 30): a revoked key fails at once in the isolate that revoked it (the entry is dropped there)
// and in every other isolate within that bound, when its cached entry runs out.
import { waitUntil } from "cloudflare:workers";
import { configFrom } from "../config.ts";
import { database } from "../db/client.ts";
import { apiKeyByHash, noteApiKeyUsed } from "../db/api-keys.ts";
import { ApiError, notFound, unauthorized } from "../http/errors.ts";
import { sha256Hex } from "../encoding.ts";
import type { Principal } from "./principal.ts";

import type { ApiKeyScope } from "../schemas/api-keys.ts";

export const API_KEY_PREFIX = "vid_";

/** The routes a key may call (paths under the API base, Hono's `:param` form) and the scope each
 * needs. Everything else, staff routes above all, answers 403 to a key. */
const KEY_ROUTES: Record<string, ApiKeyScope> = {
  "POST /verifications": "verifications:write",
  "GET /verifications": "verifications:read",
  "GET /verifications/:id": "verifications:read",
  "GET /webhooks": "webhooks:manage",
  "POST /webhooks": "webhooks:manage",
  "DELETE /webhooks/:id": "webhooks:manage",
  "POST /webhooks/:id/test": "webhooks:manage",
  "GET /webhooks/:id/deliveries": "webhooks:manage",
  "POST /webhooks/:id/deliveries/:delivery_id/retry": "webhooks:manage",
};

/** The routes a hosted session's customer token reaches; `:id` under /verifications must be its
 * own verification. The guest customer owns nothing else, so the list, calls, rooms and receipts
 * are limited to that verification by the ordinary ownership checks. */
const SESSION_ROUTES = new Set([
  "GET /auth/me",
  "POST /auth/logout",
  "GET /verifications",
  "GET /verifications/:id",
  "POST /verifications/:id/documents",
  "POST /verifications/:id/submit",
  "POST /video-calls/queue",
  "GET /video-calls/:id",
  "GET /video-calls/:id/ws",
  "POST /video-calls/:id/cancel",
  "GET /rooms/:session_id/ws",
  "GET /documents/:id/content",
  "GET /audit/receipts/:record_id",
  "GET /blockchain/verify/:tx_hash",
]);

/** A new key: shown once, stored as its hash. */
export function newApiKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return (
    API_KEY_PREFIX +
    btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "")
  );
}

export const apiKeyHash = (key: string) => sha256Hex(key);

/** The API key a request carries (`X-API-Key`, or a bearer value starting `vid_`), if any. */
export function apiKeyOf(req: Request): string | null {
  const header = req.headers.get("X-API-Key");
  if (header) return header.trim();
  const bearer = /^Bearer\s+(vid_\S+)$/i.exec(req.headers.get("Authorization") ?? "");
  return bearer ? bearer[1]! : null;
}

type CachedKey = { principal: Principal | null; until: number; usedNotedAt: number };
const cache = new Map<string, CachedKey>();
const CACHE_LIMIT = 10_000;
/** `last_used_at` is written at most this often per key and isolate, off the response path. */
const USED_WRITE_INTERVAL_MS = 60_000;

/** Drops a key from this isolate's cache: revocation takes effect here at once. */
export function forgetApiKey(keyHash: string) {
  cache.delete(keyHash);
}

/** The principal of a key (401 for an unknown or revoked one), from the cache when fresh. */
export async function principalForApiKey(env: Env, key: string, now = Date.now()): Promise<Principal> {
  const hash = await apiKeyHash(key);
  let entry = cache.get(hash);
  if (!entry || entry.until <= now) {
    const row = await apiKeyByHash(database(env.DB), hash);
    const ttlMs = configFrom(env).clientApps.apiKeyCacheSeconds * 1000;
    if (cache.size >= CACHE_LIMIT) cache.clear();
    entry = {
      principal:
        row && row.revokedAt === null
          ? {
              userId: `apikey:${row.id}`,
              tenantId: row.tenantId,
              // Tenant-wide reads (staff view); what a key may call at all is KEY_ROUTES' business.
              role: "it_staff",
              name: row.name,
              sessionId: `apikey:${row.id}`,
              expiresAt: Number.MAX_SAFE_INTEGER,
              epoch: 0,
              apiKey: { id: row.id, scopes: JSON.parse(row.scopes) as string[] },
            }
          : null,
      until: now + ttlMs,
      usedNotedAt: row?.lastUsedAt ?? 0,
    };
    cache.set(hash, entry);
  }
  const principal = entry.principal;
  if (!principal) throw unauthorized("The API key is invalid or revoked.");
  if (now - entry.usedNotedAt >= USED_WRITE_INTERVAL_MS) {
    entry.usedNotedAt = now;
    waitUntil(noteApiKeyUsed(database(env.DB), principal.apiKey!.id, now).catch(() => undefined));
  }
  return principal;
}

/** 403 unless the key may call `route` ("METHOD /path" under the API base). */
export function assertKeyMayCall(principal: Principal, route: string) {
  const scope = KEY_ROUTES[route];
  if (!scope) throw new ApiError(403, "forbidden", "API keys cannot call this route.", { route });
  if (!principal.apiKey!.scopes.includes(scope)) {
    throw new ApiError(403, "forbidden", `The API key lacks the scope ${scope}.`, { scope });
  }
}

/** 404 unless a hosted session's token may call `route` with the request's `path`. */
export function assertSessionMayCall(principal: Principal, route: string, path: string) {
  if (!SESSION_ROUTES.has(route)) throw notFound("Route");
  if (route.split(" ")[1]!.startsWith("/verifications/:id")) {
    const id = decodeURIComponent(path.split("/")[2] ?? "");
    if (id !== principal.verificationId) throw notFound("Verification");
  }
}
