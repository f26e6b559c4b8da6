// A Durable Object's outbox of D1 writes: operations are stored in the object's own SQLite in
// the same transaction as the state change that caused them, then drained to D1 in order.
// A D1 hiccup leaves them in place for the next flush (the owner's alarm retries), so a
// finished call or an audit record is never lost. Audit records written this way are then
// queued for the log.
import { errorFields, log } from "../../worker/observability/log.ts";
import { queueForLog } from "../../worker/audit/producer.ts";
import { writeOps } from "../../worker/outbox/d1-writer.ts";
import type { D1Op } from "../../worker/outbox/ops.ts";
import { queueEvents } from "../../worker/webhooks/events.ts";

const BATCH = 100;
/** A failed flush is retried this long after, by the owner's alarm. */
export const OUTBOX_RETRY_MS = 5_000;

export class Outbox {
  private readonly sql: SqlStorage;
  private flushing: Promise<void> | null = null;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    sql.exec(
      "CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, op TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0)",
    );
  }

  /** Stores operations; call inside the transaction that changes the state they record. */
  add(ops: D1Op[]) {
    for (const op of ops) this.sql.exec("INSERT INTO outbox (op) VALUES (?)", JSON.stringify(op));
  }

  /** When the owner's alarm should retry a flush: soon while rows wait, else never. */
  retryAt(now = Date.now()): number | null {
    return this.size() > 0 ? now + OUTBOX_RETRY_MS : null;
  }

  size(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox").one().n;
  }

  /** Drains to D1 in order; concurrent callers share one drain. Never throws. */
  async flush(env: Env): Promise<void> {
    if (this.flushing) return this.flushing;
    const drain = this.drain(env);
    this.flushing = drain;
    try {
      await drain;
    } finally {
      if (this.flushing === drain) this.flushing = null;
    }
  }

  private async drain(env: Env): Promise<void> {
    for (;;) {
      const rows = this.sql
        .exec<{ seq: number; op: string; attempts: number }>("SELECT seq, op, attempts FROM outbox ORDER BY seq LIMIT ?", BATCH)
        .toArray()
        .map((r) => ({ seq: r.seq, op: JSON.parse(r.op) as D1Op, attempts: r.attempts }));
      if (rows.length === 0) return;
      try {
        await writeOps(
          env.DB,
          rows.map((r) => r.op),
        );
      } catch (err) {
        // Logged with the oldest row's attempt count, so a stuck outbox stands out in the logs.
        log("warn", "outbox_write_retry", { attempt: rows[0]!.attempts + 1, rows: rows.length, ...errorFields(err) });
        for (const r of rows) this.sql.exec("UPDATE outbox SET attempts = attempts + 1 WHERE seq = ?", r.seq);
        return;
      }
      this.sql.exec("DELETE FROM outbox WHERE seq <= ?", rows[rows.length - 1]!.seq);
      await queueForLog(
        env.AUDIT_QUEUE,
        rows.flatMap((r) => (r.op.op === "audit_insert" ? [r.op.row.id] : [])),
      );
      await queueEvents(
        env,
        rows.flatMap((r) => (r.op.op === "webhook_event" ? [r.op.event.id] : [])),
      );
    }
  }
}
