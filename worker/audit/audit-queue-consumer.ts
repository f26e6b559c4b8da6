// Audit queue consumer: appends a batch of records to the log, in the order they were
// recorded, and notes each leaf's index on its D1 record. A failure retries the whole batch
// (the log ignores records it already has).
import { errorFields, log } from "../observability/log.ts";
import { z } from "zod";
import { leafInputsOf, noteLeafIndices } from "../db/audit-records.ts";
import { database } from "../db/client.ts";
import { retryDelaySeconds } from "./backoff.ts";

const Message = z.object({ record_id: z.string().min(1) });

export async function consumeAuditBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const ids = [
    ...new Set(
      batch.messages.flatMap((m) => {
        const parsed = Message.safeParse(m.body);
        if (!parsed.success) log("warn", "audit_message_malformed", { message_id: m.id });
        return parsed.success ? [parsed.data.record_id] : [];
      }),
    ),
  ];
  try {
    if (ids.length > 0) await appendRecords(env, ids);
    batch.ackAll();
  } catch (err) {
    const attempts = Math.max(...batch.messages.map((m) => m.attempts));
    log("warn", "audit_batch_retry", { messages: batch.messages.length, ...errorFields(err) });
    batch.retryAll({ delaySeconds: retryDelaySeconds(attempts) });
  }
}

/** Appends the D1 records `ids` to the log and records their leaf indices. */
export async function appendRecords(env: Env, ids: string[]): Promise<number> {
  const db = database(env.DB);
  const rows = await leafInputsOf(db, ids);
  if (rows.length === 0) return 0;
  const { results } = await env.AUDIT_LOG.getByName("main").append(rows.map((r) => ({ recordId: r.id, kind: r.kind, data: r.data })));
  await noteLeafIndices(db, results, Date.now());
  return results.filter((r) => !r.duplicate).length;
}
