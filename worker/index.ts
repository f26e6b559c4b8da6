// Worker entry: HTTP through Hono; Durable Object classes are exported for their bindings.
import { app } from "./app.ts";
import { scheduled } from "./scheduled.ts";

export default {
  fetch: app.fetch,
  scheduled: (controller, env, ctx) => ctx.waitUntil(scheduled(controller, env)),
} satisfies ExportedHandler<Env>;

export { AgentPresence } from "../durable-objects/agent-presence.ts";
export { QueueCoordinator } from "../durable-objects/queue-coordinator/index.ts";
