// Anchor queue consumer: puts a signed checkpoint's root on the Thronos master and records
// the transaction in D1. Retryable failures (node down, 5xx, timeouts) go back on the queue
// with backoff; after the queue's retries the dead-letter consumer marks the anchor failed,
// and the cron anchors the latest checkpoint again, so the log's leaves always get anchored.
import { errorFields, log } from "../observability/log.ts";
import { z } from "zod";
import { submitHash, verifyHash } from "../services/thronos/chain-client.ts";
import { thronosConfigFrom, type ThronosConfig } from "../services/thronos/config.ts";
import { configFrom } from "../config.ts";
import { database } from "../db/client.ts";
import { noteAnchorAbandoned, noteAnchorAttemptFailed, noteAnchorConfirmed, noteAnchorSubmitted, openAnchor } from "../db/anchors.ts";
import { retryDelaySeconds } from "./backoff.ts";
import { emitAnchoredEvents } from "../webhooks/anchored.ts";

const AnchorMessage = z.object({ tree_size: z.number().int().positive(), root_hash: z.string().regex(/^[0-9a-f]{64}$/) });
export type AnchorMessage = z.infer<typeof AnchorMessage>;

export const anchorId = (treeSize: number) => `anchor-${treeSize}`;

/** Checks a submitted anchor on the chain (replica first) and marks it confirmed when found;
 * then the `verification.anchored` webhooks of the records it covers. */
export async function confirmAnchor(env: Env, config: ThronosConfig, id: string, rootHash: string): Promise<boolean> {
  const check = await verifyHash(config, rootHash);
  if (!check.ok || !check.verified) return false;
  await noteAnchorConfirmed(database(env.DB), id, { txId: check.txId, blockHeight: check.blockHeight }, Date.now());
  await emitAnchoredEvents(env, id);
  return true;
}

async function anchorOne(env: Env, config: ThronosConfig, message: Message<unknown>): Promise<void> {
  const parsed = AnchorMessage.safeParse(message.body);
  if (!parsed.success) {
    log("warn", "anchor_message_malformed", { message_id: message.id });
    return message.ack();
  }
  const { tree_size, root_hash } = parsed.data;
  const id = anchorId(tree_size);
  const now = Date.now();
  const db = database(env.DB);
  if ((await openAnchor(db, { id, treeSize: tree_size, rootHash: root_hash }, now)) === "confirmed") {
    // A redelivery after a crash between the confirmation and the events: emit them (idempotent).
    await emitAnchoredEvents(env, id);
    return message.ack();
  }

  const origin = configFrom(env).audit.origin;
  const result = await submitHash(config, { hash: root_hash, hashType: "checkpoint", metadata: { tree_size, origin } });
  if (result.ok) {
    await noteAnchorSubmitted(db, id, { txId: result.txId, blockHeight: result.blockHeight ?? null, nodeUrl: result.nodeUrl }, now);
    // The master writes records straight to its chain; a read (replica first) confirms it.
    await confirmAnchor(env, config, id, root_hash);
    return message.ack();
  }
  await noteAnchorAttemptFailed(db, id, { message: result.message, nodeUrl: result.nodeUrl, retryable: result.retryable }, now);
  if (result.retryable) message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  else message.ack();
}

export async function consumeAnchorBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = thronosConfigFrom(env);
  for (const message of batch.messages) {
    try {
      await anchorOne(env, config, message);
    } catch (err) {
      log("warn", "anchor_attempt_failed", { attempt: message.attempts, ...errorFields(err) });
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}

/** Dead letters: the queue gave up on an anchor. Mark it failed; the cron anchors again. */
export async function consumeAnchorDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const now = Date.now();
  for (const message of batch.messages) {
    const parsed = AnchorMessage.safeParse(message.body);
    if (parsed.success) {
      await noteAnchorAbandoned(database(env.DB), anchorId(parsed.data.tree_size), now);
    }
    message.ack();
  }
}
