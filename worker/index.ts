// Worker entry: HTTP through Hono; Durable Object classes are exported for their bindings.
import { log } from "./observability/log.ts";
import { app } from "./app.ts";
import { consumeAnchorBatch, consumeAnchorDeadLetters } from "./audit/anchor-queue-consumer.ts";
import { consumeAuditBatch } from "./audit/audit-queue-consumer.ts";
import { scheduled } from "./scheduled.ts";
import { consumeWebhookBatch, consumeWebhookDeadLetters } from "./webhooks/queue.ts";

/** Queue consumers by queue name (a deployment may add an environment suffix). */
async function queue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const name = batch.queue;
  if (name.startsWith("verifyid-webhooks-dlq")) return consumeWebhookDeadLetters(batch, env);
  if (name.startsWith("verifyid-webhooks")) return consumeWebhookBatch(batch, env);
  if (name.startsWith("verifyid-anchor-dlq")) return consumeAnchorDeadLetters(batch, env);
  if (name.startsWith("verifyid-audit-dlq")) {
    // The records are in D1 and unlogged: the minute sweep queues them again, `npm run redrive`
    // at once, and /api/v1/health counts them in its audit backlog until then.
    log("warn", "audit_dead_letters", { queue: name, messages: batch.messages.length });
    return batch.ackAll();
  }
  if (name.startsWith("verifyid-anchor")) return consumeAnchorBatch(batch, env);
  if (name.startsWith("verifyid-audit")) return consumeAuditBatch(batch, env);
  log("error", "no_queue_consumer", { queue: name });
}

export default {
  fetch: app.fetch,
  queue,
  scheduled: (controller, env, ctx) => ctx.waitUntil(scheduled(controller, env)),
} satisfies ExportedHandler<Env>;

export { AgentPresence } from "../durable-objects/agent-presence.ts";
export { AuditLog } from "../durable-objects/audit-log.ts";
export { CallRoom } from "../durable-objects/call-room.ts";
export { DashboardHub } from "../durable-objects/dashboard-hub.ts";
export { DirectCallDesk } from "../durable-objects/direct-call-desk.ts";
export { QueueCoordinator } from "../durable-objects/queue-coordinator/index.ts";
