// The queue state's persisted form: one JSON row per live call and per agent, and the sequence
// and counters as text. The QueueCoordinator's SQLite store writes and reads exactly these, and
// the core's property test round-trips state through them, so an eviction there is the real one.
import { NO_PRESENCE } from "../readiness.ts";
import { emptyCounters, type Agent, type Call, type QueueCounters, type QueueState } from "./types.ts";

/** What a stored queue is made of: the rows' data and the two meta values (null if never written). */
export type QueueRows = { calls: Iterable<string>; agents: Iterable<string>; seq: string | null; counters: string | null };

/** The rows one transition writes: calls and agents it changed, calls it removed, and the meta. */
export type RowChanges = {
  calls: Array<[id: string, data: string]>;
  removedCalls: string[];
  agents: Array<[id: string, data: string]>;
  seq: string;
  counters: string;
};

/** What a transition reports it touched (see engine.ts). */
export type Touched = { changedCalls: readonly string[]; removedCalls: readonly string[]; changedAgents: readonly string[] };

/** The rows to write after a transition to `state` that touched `changes`. */
export function rowChanges(state: QueueState, changes: Touched): RowChanges {
  const row = <T>(id: string, record: T | undefined): [string, string] => {
    if (record === undefined) throw new Error(`a changed record is missing from the state: ${id}`);
    return [id, JSON.stringify(record)];
  };
  return {
    calls: changes.changedCalls.map((id) => row(id, state.calls.get(id))),
    removedCalls: [...changes.removedCalls],
    agents: changes.changedAgents.map((id) => row(id, state.agents.get(id))),
    seq: String(state.seq),
    counters: JSON.stringify(state.counters),
  };
}

/** The state stored rows describe. */
export function queueFromRows(rows: QueueRows): QueueState {
  const calls = new Map<string, Call>();
  for (const data of rows.calls) {
    // Rows written before routing (issue 17) are calls of the default queue, needing nothing.
    const call: Call = { requirements: [], queueId: null, relaxStep: 0, relaxations: [], ...(JSON.parse(data) as Partial<Call>) } as Call;
    calls.set(call.id, call);
  }
  const agents = new Map<string, Agent>();
  for (const data of rows.agents) {
    // Rows written before agents kept presence's record start with none heard, and those
    // written before skills with none.
    const agent: Agent = { presence: NO_PRESENCE, skills: {}, ...(JSON.parse(data) as Omit<Agent, "presence" | "skills">) };
    agents.set(agent.id, agent);
  }
  const counters = { ...emptyCounters(), ...(JSON.parse(rows.counters ?? "{}") as Partial<QueueCounters>) };
  return { calls, agents, seq: Number(rows.seq ?? 0), counters };
}
