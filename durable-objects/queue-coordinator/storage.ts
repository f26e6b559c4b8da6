// The coordinator's SQLite: live calls and agents (one JSON row each), settings and clock,
// recently finished calls (for idempotent retries). Its D1 outbox is ../shared/outbox.ts. The
// rows' form is the core's (worker/core/queue/persisted.ts), which the property test evicts through.
import { queueFromRows, rowChanges, type QueueState, type Touched } from "../../worker/core/queue/index.ts";
import type { CallView } from "../../worker/schemas/messages.ts";

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS calls (id TEXT PRIMARY KEY, data TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS agents (id TEXT PRIMARY KEY, data TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS finished_calls (id TEXT PRIMARY KEY, view TEXT NOT NULL, result TEXT, finished_at INTEGER NOT NULL);
`;

export type FinishedRecord = { view: CallView; result: unknown; finishedAt: number };

export class CoordinatorStore {
  readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    sql.exec(SCHEMA);
  }

  meta(key: string): string | null {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row ? row.value : null;
  }

  setMeta(key: string, value: string) {
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
  }

  /** Everything live, as the pure engine expects it. */
  loadState(): QueueState {
    return queueFromRows({
      calls: this.sql
        .exec<{ data: string }>("SELECT data FROM calls")
        .toArray()
        .map((row) => row.data),
      agents: this.sql
        .exec<{ data: string }>("SELECT data FROM agents")
        .toArray()
        .map((row) => row.data),
      seq: this.meta("seq"),
      counters: this.meta("counters"),
    });
  }

  /** Writes the records a transition changed (call inside a storage transaction). */
  saveChanges(state: QueueState, changes: Touched) {
    const rows = rowChanges(state, changes);
    for (const [id, data] of rows.calls) this.sql.exec("INSERT OR REPLACE INTO calls (id, data) VALUES (?, ?)", id, data);
    for (const id of rows.removedCalls) this.sql.exec("DELETE FROM calls WHERE id = ?", id);
    for (const [id, data] of rows.agents) this.sql.exec("INSERT OR REPLACE INTO agents (id, data) VALUES (?, ?)", id, data);
    this.setMeta("seq", rows.seq);
    this.setMeta("counters", rows.counters);
  }

  saveFinished(id: string, view: CallView, finishedAt: number, result: unknown = null) {
    this.sql.exec(
      "INSERT INTO finished_calls (id, view, result, finished_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET view = excluded.view, result = COALESCE(excluded.result, finished_calls.result)",
      id,
      JSON.stringify(view),
      result === null ? null : JSON.stringify(result),
      finishedAt,
    );
  }

  finished(id: string): FinishedRecord | null {
    const row = this.sql
      .exec<{ view: string; result: string | null; finished_at: number }>(
        "SELECT view, result, finished_at FROM finished_calls WHERE id = ?",
        id,
      )
      .toArray()[0];
    return row ? { view: JSON.parse(row.view), result: row.result ? JSON.parse(row.result) : null, finishedAt: row.finished_at } : null;
  }

  /** The decision of the latest completed call of a verification (recent calls only), or null. */
  decisionFor(verificationId: string): string | null {
    const row = this.sql
      .exec<{ decision: string | null }>(
        "SELECT json_extract(view, '$.decision') AS decision FROM finished_calls WHERE json_extract(view, '$.verification_id') = ? ORDER BY finished_at DESC LIMIT 1",
        verificationId,
      )
      .toArray()[0];
    return row?.decision ?? null;
  }

  /** Forgets finished calls older than `before` (D1 keeps their record). */
  pruneFinished(before: number): number {
    return this.sql.exec("DELETE FROM finished_calls WHERE finished_at < ?", before).rowsWritten;
  }
}
