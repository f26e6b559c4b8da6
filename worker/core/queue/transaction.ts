// A copy-on-write working set for one queue command: rules read and replace whole records,
// and the set remembers what changed so the Durable Object persists only that.
import type { AgentStatus, Agent, Call, FinishedCallStatus, Offer, QueueConfig, QueueCounters, QueueState, RelaxStep } from "./types.ts";
import type { PriorityLevel } from "../priority.ts";
import { fail, ok, type ContractError, type Result } from "../result.ts";

export type OfferReleaseReason = "rejected" | "expired" | "agent_unavailable" | "superseded" | "reassigned" | "call_closed";
export type FinishReason = "completed" | "customer_cancelled" | "staff_cancelled" | "timeout";

type EventBody =
  | { type: "enqueued"; call: Call }
  | { type: "offered"; call: Call; agentId: string; fallback: boolean }
  | { type: "offerReleased"; call: Call; agentId: string; offer: Offer; reason: OfferReleaseReason }
  | {
      type: "assigned";
      call: Call;
      agentId: string;
      via: "offer" | "list" | "manager";
      offer: Offer | null;
      previousAgentId: string | null;
    }
  | { type: "unassigned"; call: Call; agentId: string }
  | { type: "started"; call: Call }
  | {
      type: "finished";
      call: Call;
      status: FinishedCallStatus;
      reason: FinishReason;
      endedAt: number;
      durationSeconds: number | null;
      outcome: CallOutcome | null;
    }
  | { type: "escalated"; call: Call; from: PriorityLevel; to: PriorityLevel }
  | { type: "relaxed"; call: Call; from: RelaxStep; to: RelaxStep }
  | { type: "agentUpdated"; agent: Agent; previousStatus: AgentStatus | null };

/** What happened (and when), for notifications, the D1 projection and metrics. */
export type QueueEvent = EventBody & { at: number };

/** The agent's decision on a completed call, carried on its "finished" event. */
export type CallOutcome = { decision: string; reasonCode: string | null };

export type QueueError = ContractError;
export type Outcome<T> = Result<T, QueueError>;
export { fail, ok };

export class QueueTx {
  readonly calls: Map<string, Call>;
  readonly agents: Map<string, Agent>;
  readonly now: number;
  readonly config: QueueConfig;
  seq: number;
  counters: QueueCounters;
  readonly changedCalls = new Set<string>();
  readonly removedCalls = new Set<string>();
  readonly changedAgents = new Set<string>();
  readonly events: QueueEvent[] = [];

  constructor(state: QueueState, now: number, config: QueueConfig) {
    this.calls = new Map(state.calls);
    this.agents = new Map(state.agents);
    this.seq = state.seq;
    this.counters = { ...state.counters };
    this.now = now;
    this.config = config;
  }

  putCall(call: Call) {
    this.calls.set(call.id, call);
    this.changedCalls.add(call.id);
  }

  removeCall(id: string) {
    this.calls.delete(id);
    this.changedCalls.delete(id);
    this.removedCalls.add(id);
  }

  putAgent(agent: Agent) {
    this.agents.set(agent.id, agent);
    this.changedAgents.add(agent.id);
  }

  emit(event: EventBody) {
    this.events.push({ ...event, at: this.now });
  }

  count(counter: keyof QueueCounters) {
    this.counters = { ...this.counters, [counter]: this.counters[counter] + 1 };
  }

  state(): QueueState {
    return { calls: this.calls, agents: this.agents, seq: this.seq, counters: this.counters };
  }
}
