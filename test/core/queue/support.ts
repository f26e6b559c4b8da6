// Factories for queue-core tests: a config, calls and agents.
import {
  emptyQueue,
  enqueue,
  presenceChanged,
  runCommand,
  setAgentStatus,
  type NewCall,
  type Outcome,
  type QueueConfig,
  type QueueState,
  type Transition,
} from "../../../worker/core/queue/index.ts";
import type { QueueTx } from "../../../worker/core/queue/transaction.ts";
import { configFrom } from "../../../worker/config.ts";
import type { PriorityLevel } from "../../../worker/core/priority.ts";
import type { PresenceFacts } from "../../../worker/core/readiness.ts";

export const T0 = Date.UTC(2026, 10, 22, 9, 0, 0);
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

/** The production defaults, but without the discovery fallback so readiness rules show plainly. */
export function config(overrides: Partial<QueueConfig> = {}): QueueConfig {
  const defaults = configFrom({}).queue;
  return { ...defaults, strategy: "score", features: { ...defaults.features, discoveryFallback: false }, ...overrides };
}

/** A presence record as AgentPresence sends it at `at`: by default a fresh beat with a device. */
export function heard(at: number, overrides: Partial<PresenceFacts> = {}): PresenceFacts {
  return { lastBeatAt: at, deviceConnected: true, fresh: true, offline: false, at, ...overrides };
}

/** The record AgentPresence sends when the agent went silent. */
export const silent = (at: number): PresenceFacts => heard(at, { lastBeatAt: null, deviceConnected: false, fresh: false, offline: true });

let callCounter = 0;
export function newCall(priority: PriorityLevel = 1, overrides: Partial<NewCall> = {}): NewCall {
  callCounter += 1;
  const id = `call-${callCounter}`;
  return {
    id,
    tenantId: "demo",
    verificationId: `verification-${id}`,
    customerId: `customer-${id}`,
    userName: `Customer ${callCounter}`,
    priority,
    fraudScore: null,
    documents: [],
    ...overrides,
  };
}

/** A queue driven step by step, with its own clock. */
export class Queue {
  state: QueueState = emptyQueue();
  now = T0;
  readonly config: QueueConfig;
  constructor(cfg: QueueConfig = config()) {
    this.config = cfg;
  }
  run<T>(command: (tx: QueueTx) => Outcome<T>): Transition<T> {
    const transition = runCommand(this.state, this.now, this.config, command);
    this.state = transition.state;
    return transition;
  }
  value<T>(command: (tx: QueueTx) => Outcome<T>): T {
    const { outcome } = this.run(command);
    if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
    return outcome.value;
  }
  advance(ms: number) {
    this.now += ms;
    return this.run(() => ({ ok: true, value: null }));
  }
  /** An agent who is online, with a fresh heartbeat and a connected device. */
  readyAgent(id: string, maxCalls = 1) {
    this.value((tx) => presenceChanged(tx, { agentId: id, name: id, presence: heard(this.now) }));
    return this.value((tx) => setAgentStatus(tx, { agentId: id, name: id, status: "online", maxCalls }));
  }
  enqueue(priority: PriorityLevel = 1, overrides: Partial<NewCall> = {}) {
    return this.value((tx) => enqueue(tx, newCall(priority, overrides)));
  }
  call(id: string) {
    return this.state.calls.get(id);
  }
  agent(id: string) {
    return this.state.agents.get(id)!;
  }
}
