// How queue records look on the wire (API.md shapes). Pure.
import { readinessScore, type ReadinessConfig } from "../readiness.ts";
import { wordOf } from "../priority.ts";
import type { Position } from "./estimate.ts";
import { averageCallSeconds } from "./scoring.ts";
import type { CallOutcome } from "./transaction.ts";
import { unmatched } from "./routing.ts";
import type { Agent, Call, FinishedCallStatus, QueueState } from "./types.ts";
import { factsOf } from "./agents.ts";
import { iso } from "../../ids.ts";
import type { AgentView, CallView, QueueSummary } from "../../schemas/messages.ts";

const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));

/** The call's routing as clients see it, or nothing for a call that needs nothing of the
 * default queue (so such calls look as they did before routing). `agents`: to say whether any
 * online agent could take it. */
export function routingView(call: Call, agents?: Iterable<Agent>): CallView["routing"] {
  if (call.requirements.length === 0 && call.queueId === null) return undefined;
  return {
    queue_id: call.queueId,
    requirements: call.requirements.map((r) => ({ skill: r.skill, level: r.level })),
    relax_step: call.relaxStep,
    relaxations: call.relaxations.map((r) => ({ step: r.step, at: iso(r.at)! })),
    ...(agents && call.status === "pending" ? { unmatched: unmatched(call, agents) } : {}),
  };
}

/** A live call; `position` only for pending calls. */
export function callView(call: Call, now: number, position?: Position, agentName?: string, agents?: Iterable<Agent>): CallView {
  const routing = routingView(call, agents);
  return {
    id: call.id,
    verification_id: call.verificationId,
    customer_id: call.customerId,
    user_name: call.userName,
    status: call.status,
    priority: wordOf(call.priority),
    initial_priority: wordOf(call.initialPriority),
    fraud_score: call.fraudScore,
    documents: call.documents,
    created_at: iso(call.enqueuedAt)!,
    wait_seconds: seconds((call.assignedAt ?? now) - call.enqueuedAt),
    ...(position ? { position_in_queue: position.position, estimated_wait_seconds: position.estimatedWaitSeconds } : {}),
    ...(call.offer ? { offered_to: call.offer.agentId, offer_expires_at: iso(call.offer.expiresAt)! } : {}),
    ...(call.assignedAgentId ? { assigned_agent_id: call.assignedAgentId, assigned_at: iso(call.assignedAt)! } : {}),
    ...(agentName ? { assigned_agent_name: agentName } : {}),
    ...(call.sessionId ? { session_id: call.sessionId } : {}),
    ...(call.startedAt ? { started_at: iso(call.startedAt)! } : {}),
    ...(routing ? { routing } : {}),
  };
}

/** A call as it was when it left the queue, with the agent's decision when it was completed. */
export function finishedCallView(
  call: Call,
  status: FinishedCallStatus,
  endedAt: number,
  reason: string,
  outcome: CallOutcome | null = null,
): CallView {
  return {
    ...callView({ ...call, offer: null }, endedAt),
    status,
    ended_at: iso(endedAt)!,
    end_reason: reason,
    ...(outcome ? { decision: outcome.decision, ...(outcome.reasonCode ? { decision_reason: outcome.reasonCode } : {}) } : {}),
  };
}

/** An agent as managers and the agent's own desk see them; readiness is the one readinessScore
 * over the agent's facts, so it equals the heartbeat reply's at the same moment. */
export function agentView(agent: Agent, now: number, readiness: ReadinessConfig): AgentView {
  const average = averageCallSeconds(agent);
  return {
    agent_id: agent.id,
    name: agent.name,
    status: agent.status,
    current_calls: agent.activeCallIds.length,
    max_calls: agent.maxCalls,
    readiness_score: readinessScore(factsOf(agent, now), now, readiness),
    last_heartbeat: iso(agent.presence.lastBeatAt),
    device_connected: agent.presence.deviceConnected,
    average_call_duration: average === null ? null : Math.round(average),
    total_calls_today: agent.callsToday,
    missed_offers_in_row: agent.missedOffersInRow,
    ...(Object.keys(agent.skills).length ? { skills: { ...agent.skills } } : {}),
  };
}

/** Totals for the queue_update message and the dashboards (a count: no need to sort). */
export function queueSummary(state: QueueState, now: number): QueueSummary {
  const by_priority = { urgent: 0, high: 0, normal: 0, low: 0 };
  let total = 0;
  let oldest = now;
  for (const call of state.calls.values()) {
    if (call.status !== "pending") continue;
    total += 1;
    by_priority[wordOf(call.priority)] += 1;
    oldest = Math.min(oldest, call.enqueuedAt);
  }
  return { total_pending: total, by_priority, longest_wait_seconds: seconds(now - oldest) };
}
