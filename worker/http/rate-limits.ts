// Abuse limits: one Hono middleware per scope, `rateLimit("queue", byUser)`, answering 429 with
// Retry-After and the contract's error shape. The limit of each scope is a var
// (RATE_LIMIT_*_PER_MINUTE, worker/config.ts; 0 = off) enforced by the RATE_LIMITER binding as
// slots (worker/core/rate-limit.ts). Per-user limits need an authenticated route (authentication
// runs before any route middleware); every limiter goes before any expensive work (body
// parsing, D1, Durable Objects).
import type { Context, MiddlewareHandler } from "hono";
import { principalOf } from "../auth/middleware.ts";
import { configFrom } from "../config.ts";
import { admit, FullMemo, type RateLimitScope } from "../core/rate-limit.ts";
import type { AppEnv } from "./app-env.ts";
import { ApiError } from "./errors.ts";

/** The binding's period (wrangler.toml): a caller over its limit waits at most this long. */
const PERIOD_SECONDS = 60;

/** Per isolate: keys recently found full, answered without asking the binding again. */
const memo = new FullMemo();

const MESSAGES: Partial<Record<RateLimitScope, string>> = {
  login_ip: "Too many sign-in attempts; try again in a minute.",
  login_email: "Too many sign-in attempts; try again in a minute.",
};

export function rateLimited(scope: RateLimitScope): ApiError {
  return new ApiError(
    429,
    "rate_limited",
    MESSAGES[scope] ?? "Too many requests; try again in a minute.",
    { retry_after_seconds: PERIOD_SECONDS },
    { "Retry-After": String(PERIOD_SECONDS) },
  );
}

/** The client's address as Cloudflare reports it; "local" when there is none (local runs). */
export const clientIp = (c: Context<AppEnv>) => c.req.header("CF-Connecting-IP") ?? "local";
/** The authenticated caller (on routes that are not public). */
export const byUser = (c: Context<AppEnv>) => principalOf(c).userId;

/** Throws the 429 when `key` has used up its `scope` limit this minute. */
export async function enforceRateLimit(c: Context<AppEnv>, scope: RateLimitScope, key: string): Promise<void> {
  const limiter = c.env.RATE_LIMITER;
  const { admitted } = await admit({
    scope,
    key,
    limit: configFrom(c.env).rateLimits[scope],
    now: Date.now(),
    memo,
    random: Math.random,
    take: async (slot) => (await limiter.limit({ key: slot })).success,
  });
  if (!admitted) throw rateLimited(scope);
}

/** Middleware: limits each `keyOf(c)` (the user, the client IP) to the scope's requests a minute. */
export function rateLimit(scope: RateLimitScope, keyOf: (c: Context<AppEnv>) => string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await enforceRateLimit(c, scope, keyOf(c));
    await next();
  };
}
