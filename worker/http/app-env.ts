// Hono's typed environment: Worker bindings plus what middleware puts on the context.
import type { Principal } from "../auth/principal.ts";

export type AppEnv = {
  Bindings: Env;
  Variables: { principal: Principal };
};
