// What dashboards hear after a queue change (API.md "Real-time dashboard"), by stream, and
// what the coordinator hands the tenant's DashboardHub, which owns the sockets. Pure: a
// transition in, stream-tagged messages out. Metrics are pushed separately by the hub, at most
// every METRICS_PUSH_INTERVAL_MS (see metricsPushDelay).
import type { ReadinessConfig } from "../readiness.ts";
import type { LiveFigures } from "../metrics.ts";
import { usageOf } from "./eligibility.ts";
import type { QueueEvent } from "./transaction.ts";
import type { Call, QueueState } from "./types.ts";
import { isAvailable } from "./eligibility.ts";
import { iso } from "../../ids.ts";
import type { AgentView, CallView, DashboardServerMessage, DashboardStream, QueueSummary } from "../../schemas/messages.ts";
import { agentView, callView, finishedCallView, queueSummary } from "./views.ts";

export const METRICS_PUSH_INTERVAL_MS = 2000;

export type DashboardOutgoing = { stream: DashboardStream; message: DashboardServerMessage };

const isActive = (c: Call) => c.status === "assigned" || c.status === "in_progress";

/** Calls with an agent right now, longest-running first. */
export function activeCalls(state: QueueState, now: number): CallView[] {
  return [...state.calls.values()]
    .filter(isActive)
    .sort((a, b) => (a.assignedAt ?? 0) - (b.assignedAt ?? 0))
    .map((c) => callView(c, now, undefined, c.assignedAgentId ? state.agents.get(c.assignedAgentId)?.name : undefined));
}

/** Every agent as dashboards show them. */
export function agentsView(state: QueueState, now: number, readiness: ReadinessConfig): AgentView[] {
  return [...state.agents.values()].map((a) => agentView(a, now, readiness));
}

/** The live half of the dashboard's metrics (the rest is D1's history): calls with an agent,
 * who waits and for how long, and the agents online, free and in a call. */
export function liveFigures(state: QueueState, now: number): LiveFigures {
  const summary = queueSummary(state, now);
  const agents = [...state.agents.values()];
  const usage = usageOf(state);
  return {
    activeCalls: [...state.calls.values()].filter(isActive).length,
    waiting: summary.by_priority,
    longestWaitSeconds: summary.total_pending ? summary.longest_wait_seconds : 0,
    agents: {
      online: agents.filter((a) => a.status === "online").length,
      available: agents.filter((a) => isAvailable(a, usage.get(a.id) ?? 0, now)).length,
      inCall: agents.filter((a) => a.activeCallIds.length > 0).length,
    },
  };
}

/** What the coordinator knows that a dashboard opens with; D1 adds recent calls and history. */
export type DashboardSnapshot = {
  /** The last publication this snapshot already shows (see DashboardPublication). */
  seq: number;
  now: number;
  activeCalls: CallView[];
  queue: QueueSummary;
  agents: AgentView[];
  live: LiveFigures;
};

export function dashboardSnapshot(state: QueueState, now: number, readiness: ReadinessConfig, seq: number): DashboardSnapshot {
  return {
    seq,
    now,
    activeCalls: activeCalls(state, now),
    queue: queueSummary(state, now),
    agents: agentsView(state, now, readiness),
    live: liveFigures(state, now),
  };
}

/** A dashboard message as the coordinator publishes it, numbered by the transition that caused
 * it. Numbers only grow, also across restarts of the coordinator (see nextPublicationSeq), so
 * the hub can tell which messages a dashboard's initial state already shows. */
export type DashboardPublication = DashboardOutgoing & { seq: number };

/** What one publish RPC carries: messages in order, and the live figures as of `seq`. */
export type DashboardBatch = { messages: DashboardPublication[]; seq: number; live: LiveFigures };

/** The number of the next transition's publication: one more than the last, and never below
 * the (monotonic, persisted) clock in microseconds, so a restarted coordinator, which forgot
 * its last number, still numbers above everything it published before. */
export function nextPublicationSeq(last: number, now: number): number {
  return Math.max(last + 1, now * 1000);
}

const SNAPSHOTS = new Set<DashboardServerMessage["type"]>(["active_calls_update", "agents_update", "metrics_update"]);

/** Drops every full snapshot (active calls, agents, metrics) that a later one of the same kind
 * replaces; everything else (call_event above all) stays, in order. */
export function coalescePublications<T extends DashboardOutgoing>(messages: readonly T[]): T[] {
  const last = new Map<string, number>();
  messages.forEach((m, i) => {
    if (SNAPSHOTS.has(m.message.type)) last.set(m.message.type, i);
  });
  return messages.filter((m, i) => !SNAPSHOTS.has(m.message.type) || last.get(m.message.type) === i);
}

/** The dashboard messages a transition causes. */
export function dashboardMessagesFor(
  events: QueueEvent[],
  before: QueueState,
  after: QueueState,
  now: number,
  readiness: ReadinessConfig,
): DashboardOutgoing[] {
  const timestamp = iso(now)!;
  const out: DashboardOutgoing[] = [];
  const callEvent = (event: "call_started" | "call_ended" | "call_updated", call: CallView) =>
    out.push({ stream: "calls", message: { type: "call_event", event, call, timestamp } });
  for (const e of events) {
    if (e.type === "started") callEvent("call_started", callView(e.call, now));
    else if (e.type === "finished") callEvent("call_ended", finishedCallView(e.call, e.status, e.endedAt, e.reason, e.outcome));
    else if (e.type === "enqueued" || e.type === "assigned" || e.type === "unassigned" || e.type === "escalated")
      callEvent("call_updated", callView(e.call, now));
  }
  const activeBefore = [...before.calls.values()]
    .filter(isActive)
    .map((c) => `${c.id}:${c.status}`)
    .sort()
    .join();
  const activeAfter = [...after.calls.values()]
    .filter(isActive)
    .map((c) => `${c.id}:${c.status}`)
    .sort()
    .join();
  if (activeBefore !== activeAfter)
    out.push({ stream: "calls", message: { type: "active_calls_update", active_calls: activeCalls(after, now), timestamp } });
  if (events.some((e) => e.type === "agentUpdated"))
    out.push({ stream: "agents", message: { type: "agents_update", agents: agentsView(after, now, readiness), timestamp } });
  return out;
}

/** Milliseconds to wait before the next metrics push, so pushes are at least `interval` apart. */
export function metricsPushDelay(lastPushAt: number | null, now: number, interval = METRICS_PUSH_INTERVAL_MS): number {
  return lastPushAt === null ? 0 : Math.max(0, lastPushAt + interval - now);
}
