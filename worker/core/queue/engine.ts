// One entry point for every queue change: do what is due, run the command, do what it made
// due, dispatch. The result says what changed so the Durable Object persists exactly that and
// sends messages.
import { runDeadlines } from "./deadlines.ts";
import { dispatch } from "./dispatch.ts";
import { candidatesFor, usageOf } from "./eligibility.ts";
import { pickAgent } from "./scoring.ts";
import { QueueTx, type Outcome, type QueueEvent } from "./transaction.ts";
import type { Agent, Call, QueueConfig, QueueState } from "./types.ts";

export type Transition<T> = {
  state: QueueState;
  outcome: Outcome<T>;
  events: QueueEvent[];
  changedCalls: string[];
  removedCalls: string[];
  changedAgents: string[];
};

/** Applies `command` at time `now`, after the deadlines due by then, then dispatches. A command
 * can make something due at once (a call an agent hands back has waited long enough to age, a
 * decline without cooldown ends as it is made), so deadlines run again before dispatch: the
 * queue is offered in its true order and nothing is left overdue for the alarm. */
export function runCommand<T>(state: QueueState, now: number, config: QueueConfig, command: (tx: QueueTx) => Outcome<T>): Transition<T> {
  const tx = new QueueTx(state, now, config);
  runDeadlines(tx);
  const outcome = command(tx);
  if (outcome.ok) runDeadlines(tx);
  dispatch(tx);
  return {
    state: tx.state(),
    outcome,
    events: tx.events,
    changedCalls: [...tx.changedCalls].filter((id) => tx.calls.has(id)),
    removedCalls: [...tx.removedCalls].filter((id) => !tx.calls.has(id)),
    changedAgents: [...tx.changedAgents],
  };
}

/** The agent dispatch would choose for `call` now (a manager's "assign" without an agent). */
export function bestAgentFor(tx: QueueTx, call: Call): Agent | null {
  const usage = usageOf(tx.state());
  const { agents } = candidatesFor({ ...call, declined: {} }, tx.agents.values(), usage, tx.now, tx.config);
  return pickAgent(agents, usage, call.priority, tx.config.strategy, call.requirements);
}
