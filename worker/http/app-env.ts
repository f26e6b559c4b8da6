// Hono's typed environment: Worker bindings plus what middleware puts on the context.
import type { Principal } from "../auth/principal.ts";

export type AppEnv = {
  Bindings: Env;
  /** `requestId`: this request's id (observability/request-log.ts); `outcome`: the error code it ended with. */
  Variables: { principal: Principal; requestId: string; outcome?: string };
};
