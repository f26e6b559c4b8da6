// The coordinator's SQLite: live calls and agents (one JSON row each), settings and clock,
// recently finished calls (for idempotent retries). Its D1 outbox is ../shared/outbox.ts.
import { emptyCounters, type Agent, type Call, type QueueCounters, type QueueState } from "../../worker/core/queue/index.ts";
import { NO_PRESENCE } from "../../worker/core/readiness.ts";
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
    const calls = new Map<string, Call>();
    for (const row of this.sql.exec<{ data: string }>("SELECT data FROM calls")) {
      const call = JSON.parse(row.data) as Call;
      calls.set(call.id, call);
    }
    const agents = new Map<string, Agent>();
    for (const row of this.sql.exec<{ data: string }>("SELECT data FROM agents")) {
      // Rows written before agents kept presence's record start with none heard.
      const agent: Agent = { presence: NO_PRESENCE, ...(JSON.parse(row.data) as Omit<Agent, "presence">) };
      agents.set(agent.id, agent);
    }
    const counters = { ...emptyCounters(), ...(JSON.parse(this.meta("counters") ?? "{}") as Partial<QueueCounters>) };
    return { calls, agents, seq: Number(this.meta("seq") ?? 0), counters };
  }

  /** Writes the records a transition changed (call inside a storage transaction). */
  saveChanges(state: QueueState, changes: { changedCalls: string[]; removedCalls: string[]; changedAgents: string[] }) {
    for (const id of changes.changedCalls) {
      this.sql.exec("INSERT OR REPLACE INTO calls (id, data) VALUES (?, ?)", id, JSON.stringify(state.calls.get(id)));
    }
    for (const id of changes.removedCalls) this.sql.exec("DELETE FROM calls WHERE id = ?", id);
    for (const id of changes.changedAgents) {
      this.sql.exec("INSERT OR REPLACE INTO agents (id, data) VALUES (?, ?)", id, JSON.stringify(state.agents.get(id)));
    }
    this.setMeta("seq", String(state.seq));
    this.setMeta("counters", JSON.stringify(state.counters));
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
