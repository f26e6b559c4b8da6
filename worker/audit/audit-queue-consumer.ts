// Audit queue consumer: appends a batch of records to the log, in the order they were
// recorded, and notes each leaf's index on its D1 record. A failure retries the whole batch
// (the log ignores records it already has).
import { z } from "zod";
import { retryDelaySeconds } from "./backoff.ts";

const Message = z.object({ record_id: z.string().min(1) });

export async function consumeAuditBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const ids = [
    ...new Set(
      batch.messages.flatMap((m) => {
        const parsed = Message.safeParse(m.body);
        if (!parsed.success) console.warn("dropping malformed audit message", m.id);
        return parsed.success ? [parsed.data.record_id] : [];
      }),
    ),
  ];
  try {
    if (ids.length > 0) await appendRecords(env, ids);
    batch.ackAll();
  } catch (err) {
    const attempts = Math.max(...batch.messages.map((m) => m.attempts));
    console.warn("audit batch failed; retrying", err);
    batch.retryAll({ delaySeconds: retryDelaySeconds(attempts) });
  }
}

/** Appends the D1 records `ids` to the log and records their leaf indices. */
export async function appendRecords(env: Env, ids: string[]): Promise<number> {
  const rows = await env.DB.prepare(
    `SELECT id, kind, data FROM audit_records WHERE id IN (${ids.map(() => "?").join(",")}) ORDER BY created_at, id`,
  )
    .bind(...ids)
    .all<{ id: string; kind: string; data: string }>();
  if (rows.results.length === 0) return 0;
  const { results } = await env.AUDIT_LOG.getByName("main").append(
    rows.results.map((r) => ({ recordId: r.id, kind: r.kind, data: r.data })),
  );
  const now = Date.now();
  await env.DB.batch(
    results.map((r) =>
      env.DB.prepare("UPDATE audit_records SET leaf_index = ?, logged_at = COALESCE(logged_at, ?) WHERE id = ?").bind(
        r.index,
        now,
        r.recordId,
      ),
    ),
  );
  return results.filter((r) => !r.duplicate).length;
}
