// The webhook queue's consumer: an event message fans out into one message per delivery; a
// delivery message makes one signed attempt with a timeout. Failures (network, timeout,
// non-2xx) go back on the queue with the next configured delay; after the last one the
// delivery is marked failed and its message goes to the dead-letter queue. Every attempt of
// a delivery carries the same `webhook-id` (the delivery's id) and a fresh timestamp.
import { z } from "zod";
import { configFrom } from "../config.ts";
import { database } from "../db/client.ts";
import {
  deliveryForAttempt,
  markFailed,
  noteAttempt,
  overdueDeliveryIds,
  pendingDeliveryIdsOfEvent,
  requeueDelivery,
} from "../db/webhooks.ts";
import { errorFields, log } from "../observability/log.ts";
import { delivered, retryDelaySeconds } from "./schedule.ts";
import { signedHeaders } from "./signing.ts";

const Message = z.union([z.object({ event_id: z.string() }), z.object({ delivery_id: z.string() })]);

/** Queues one attempt of each delivery (100 a batch: the Queues limit). */
export async function queueDeliveries(env: Env, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 100) {
    await env.WEBHOOK_QUEUE.sendBatch(ids.slice(i, i + 100).map((delivery_id) => ({ body: { delivery_id } })));
  }
}

type Attempt = { statusCode: number | null; error: string | null };

async function attemptDelivery(env: Env, url: string, secret: string, id: string, payload: string): Promise<Attempt> {
  const headers = await signedHeaders(secret, id, Math.floor(Date.now() / 1000), payload);
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "User-Agent": "VerifyID-Webhooks/1", ...headers },
      body: payload,
      // A redirect is the receiver's answer, not somewhere to send the event again.
      redirect: "manual",
      signal: AbortSignal.timeout(configFrom(env).clientApps.webhooks.timeoutSeconds * 1000),
    });
    await res.body?.cancel();
    return { statusCode: res.status, error: delivered(res.status) ? null : `HTTP ${res.status}` };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    return { statusCode: null, error: timedOut ? "timeout" : "network error" };
  }
}

async function deliverOne(env: Env, message: Message<unknown>, deliveryId: string): Promise<void> {
  const db = database(env.DB);
  const found = await deliveryForAttempt(db, deliveryId);
  // Delivered, failed (until a manual retry makes it pending again) or gone: nothing to send.
  if (!found || found.delivery.status !== "pending") return message.ack();
  const { delivery, endpoint } = found;
  if (endpoint.deletedAt !== null) {
    await markFailed(db, delivery.id);
    return message.ack();
  }
  const attempt = await attemptDelivery(env, endpoint.url, endpoint.secret, delivery.id, delivery.payload);
  const now = Date.now();
  const attempts = delivery.attempts + 1;
  if (attempt.error === null) {
    await noteAttempt(db, delivery.id, { status: "delivered", attempts, ...attempt, at: now, nextAttemptAt: null });
    return message.ack();
  }
  const delay = retryDelaySeconds(configFrom(env).clientApps.webhooks.retryDelaysSeconds, message.attempts);
  if (delay !== null) {
    await noteAttempt(db, delivery.id, { status: "pending", attempts, ...attempt, at: now, nextAttemptAt: now + delay * 1000 });
    return message.retry({ delaySeconds: delay });
  }
  await noteAttempt(db, delivery.id, { status: "failed", attempts, ...attempt, at: now, nextAttemptAt: null });
  log("warn", "webhook_delivery_failed", { delivery_id: delivery.id, attempts, error: attempt.error });
  await env.WEBHOOK_DEAD_LETTERS.send({ delivery_id: delivery.id, exhausted: true });
  message.ack();
}

export async function consumeWebhookBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const body = Message.safeParse(message.body);
    if (!body.success) {
      log("warn", "webhook_message_malformed", { message_id: message.id });
      message.ack();
      continue;
    }
    try {
      if ("event_id" in body.data) {
        const ids = await pendingDeliveryIdsOfEvent(database(env.DB), body.data.event_id);
        await queueDeliveries(
          env,
          ids.map((r) => r.id),
        );
        message.ack();
      } else {
        await deliverOne(env, message, body.data.delivery_id);
      }
    } catch (err) {
      log("warn", "webhook_attempt_crashed", { attempt: message.attempts, ...errorFields(err) });
      message.retry({ delaySeconds: 5 });
    }
  }
}

const DeadLetter = z.object({ delivery_id: z.string(), exhausted: z.literal(true).optional() });

/** Dead letters: a delivery out of retries was marked failed by its last attempt (and may have
 * been re-sent by hand since, so it is left alone); one whose consumer kept crashing until the
 * queue gave up is marked failed here. */
export async function consumeWebhookDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const body = DeadLetter.safeParse(message.body);
    if (body.success && !body.data.exhausted) await markFailed(database(env.DB), body.data.delivery_id);
    message.ack();
  }
}

/** Overdue by this much, a pending delivery's message is taken as lost and queued again. */
const SWEEP_GRACE_MS = 5 * 60_000;

/** The minute cron's catch-up: queues deliveries whose message was lost. */
export async function sweepWebhookDeliveries(env: Env, now = Date.now()): Promise<number> {
  const db = database(env.DB);
  const ids = (await overdueDeliveryIds(db, now - SWEEP_GRACE_MS, 500)).map((r) => r.id);
  await queueDeliveries(env, ids);
  // Due from now: swept again only if this message is lost too.
  for (const id of ids) await requeueDelivery(db, id, now);
  return ids.length;
}
