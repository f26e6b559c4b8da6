// Worker entry: HTTP through Hono; Durable Object classes are exported for their bindings.
import { app } from "./app.ts";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
