// What dashboards hear after a queue change (API.md "Real-time dashboard"), by stream.
// Pure: a transition in, stream-tagged messages out. Metrics are pushed separately, at most
// every METRICS_PUSH_INTERVAL_MS (see metricsPushDelay).
import type { ReadinessConfig } from "../readiness.ts";
import type { Call, QueueEvent, QueueState } from "./index.ts";
import { iso } from "../../ids.ts";
import type { CallView, DashboardServerMessage, DashboardStream } from "../../schemas/messages.ts";
import { agentView, callView, finishedCallView } from "./views.ts";

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
  if (events.some((e) => e.type === "agentUpdated")) {
    const agents = [...after.agents.values()].map((a) => agentView(a, now, readiness));
    out.push({ stream: "agents", message: { type: "agents_update", agents, timestamp } });
  }
  return out;
}

/** Milliseconds to wait before the next metrics push, so pushes are at least `interval` apart. */
export function metricsPushDelay(lastPushAt: number | null, now: number, interval = METRICS_PUSH_INTERVAL_MS): number {
  return lastPushAt === null ? 0 : Math.max(0, lastPushAt + interval - now);
}
