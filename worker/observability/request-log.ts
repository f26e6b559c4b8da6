// One log line per request, and the request id that ties it to everything else: taken from a
// well-formed `X-Request-Id` (a proxy or client app in front may set one), else generated;
// returned in every response's `X-Request-Id` header and in every error body.
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { AppEnv } from "../http/app-env.ts";
import { newId } from "../ids.ts";
import { configFrom } from "../config.ts";
import { log, setLogLevel, type LogFields } from "./log.ts";

export const REQUEST_ID_HEADER = "X-Request-Id";
const WELL_FORMED = /^[A-Za-z0-9._:-]{8,64}$/;

/** The caller's request id when it is well formed (ids only: nothing else is echoed), else a new one. */
export function requestIdFrom(header: string | undefined): string {
  return header && WELL_FORMED.test(header) ? header : newId();
}

export const requestLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  setLogLevel(configFrom(c.env).logLevel);
  const started = performance.now();
  const requestId = requestIdFrom(c.req.header(REQUEST_ID_HEADER));
  c.set("requestId", requestId);
  try {
    await next();
  } finally {
    c.header(REQUEST_ID_HEADER, requestId);
    const who = c.get("principal");
    const status = c.res.status;
    const fields: LogFields = {
      request_id: requestId,
      method: c.req.method,
      route: routePath(c, -1),
      status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
      tenant_id: who?.tenantId,
      principal_id: who?.userId,
      outcome: c.get("outcome"),
    };
    // The route's own ids (`:id`, `:record_id`, …) as fields of their own.
    for (const [name, value] of Object.entries(c.req.param() as Record<string, string>)) fields[`param_${name}`] = value;
    // A 4xx is the caller's doing and part of the contract: info, like a 2xx. A 5xx is ours.
    log(status >= 500 ? "error" : "info", "request", fields);
  }
};
