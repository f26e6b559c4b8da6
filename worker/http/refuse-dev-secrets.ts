// In production the Worker does not run on the repository's local secrets: every request gets
// 503 and the log says which secret to set, instead of tokens anyone could forge or documents
// anyone could decrypt. Checked once per isolate (the secrets cannot change under it).
import type { MiddlewareHandler } from "hono";
import { configFrom } from "../config.ts";
import { unfitSecrets } from "../core/secrets.ts";
import type { AppEnv } from "./app-env.ts";
import { log } from "../observability/log.ts";
import { ApiError } from "./errors.ts";

const verdicts = new WeakMap<object, string[]>();

export const refuseDevSecrets: MiddlewareHandler<AppEnv> = async (c, next) => {
  let problems = verdicts.get(c.env);
  if (!problems) {
    problems = unfitSecrets(configFrom(c.env).environment, c.env);
    verdicts.set(c.env, problems);
    if (problems.length > 0) {
      log("error", "refusing_to_serve", { problems: problems.join("; "), fix: "set real values with `wrangler secret put NAME`" });
    }
  }
  if (problems.length > 0) {
    throw new ApiError(503, "server_misconfigured", "The server is not configured for production; nothing was processed.");
  }
  await next();
};
