// Anchor queue consumer: puts a signed checkpoint's root on the Thronos master and records
// the transaction in D1. Retryable failures (node down, 5xx, timeouts) go back on the queue
// with backoff; after the queue's retries the dead-letter consumer marks the anchor failed,
// and the cron anchors the latest checkpoint again, so the log's leaves always get anchored.
import { z } from "zod";
import { submitHash, verifyHash } from "../services/thronos/chain-client.ts";
import { thronosConfigFrom, type ThronosConfig } from "../services/thronos/config.ts";
import { configFrom } from "../config.ts";
import { retryDelaySeconds } from "./backoff.ts";

const AnchorMessage = z.object({ tree_size: z.number().int().positive(), root_hash: z.string().regex(/^[0-9a-f]{64}$/) });
export type AnchorMessage = z.infer<typeof AnchorMessage>;

export const anchorId = (treeSize: number) => `anchor-${treeSize}`;

/** Checks a submitted anchor on the chain (replica first) and marks it confirmed when found. */
export async function confirmAnchor(env: Env, config: ThronosConfig, id: string, rootHash: string): Promise<boolean> {
  const check = await verifyHash(config, rootHash);
  if (!check.ok || !check.verified) return false;
  const now = Date.now();
  await env.DB.prepare(
    "UPDATE blockchain_transactions SET status = 'confirmed', tx_id = ?, block_height = ?, confirmed_at = COALESCE(confirmed_at, ?), error = NULL, updated_at = ? WHERE id = ?",
  )
    .bind(check.txId, check.blockHeight, now, now, id)
    .run();
  return true;
}

async function anchorOne(env: Env, config: ThronosConfig, message: Message<unknown>): Promise<void> {
  const parsed = AnchorMessage.safeParse(message.body);
  if (!parsed.success) {
    console.warn("dropping malformed anchor message", message.id);
    return message.ack();
  }
  const { tree_size, root_hash } = parsed.data;
  const id = anchorId(tree_size);
  const now = Date.now();
  await env.DB.prepare(
    `INSERT INTO blockchain_transactions (id, tree_size, root_hash, status, attempts, created_at, updated_at)
     VALUES (?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT(id) DO NOTHING`,
  )
    .bind(id, tree_size, root_hash, now, now)
    .run();
  const existing = await env.DB.prepare("SELECT status FROM blockchain_transactions WHERE id = ?").bind(id).first<{ status: string }>();
  if (existing?.status === "confirmed") return message.ack();

  const origin = configFrom(env).audit.origin;
  const result = await submitHash(config, { hash: root_hash, hashType: "checkpoint", metadata: { tree_size, origin } });
  if (result.ok) {
    await env.DB.prepare(
      `UPDATE blockchain_transactions SET tx_id = ?, block_height = COALESCE(?, block_height), node_url = ?, submitted_at = COALESCE(submitted_at, ?),
         attempts = attempts + 1, error = NULL, status = 'pending', updated_at = ? WHERE id = ?`,
    )
      .bind(result.txId, result.blockHeight ?? null, result.nodeUrl, now, now, id)
      .run();
    // The master writes records straight to its chain; a read (replica first) confirms it.
    await confirmAnchor(env, config, id, root_hash);
    return message.ack();
  }
  await env.DB.prepare(
    "UPDATE blockchain_transactions SET attempts = attempts + 1, error = ?, node_url = ?, status = ?, updated_at = ? WHERE id = ?",
  )
    .bind(result.message, result.nodeUrl, result.retryable ? "pending" : "failed", now, id)
    .run();
  if (result.retryable) message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  else message.ack();
}

export async function consumeAnchorBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = thronosConfigFrom(env);
  for (const message of batch.messages) {
    try {
      await anchorOne(env, config, message);
    } catch (err) {
      console.warn("anchor attempt failed", err);
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
      await env.DB.prepare(
        "UPDATE blockchain_transactions SET status = 'failed', error = COALESCE(error, 'gave up after retries'), updated_at = ? WHERE id = ? AND status <> 'confirmed'",
      )
        .bind(now, anchorId(parsed.data.tree_size))
        .run();
    }
    message.ack();
  }
}
