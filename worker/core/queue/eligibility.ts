// Who may be offered a call. With enhanced discovery (seed 004) an agent must pass
// readiness: online, fresh heartbeat, device connected, spare capacity. Legacy discovery,
// and the fallback when nobody passes, ask only for online with spare capacity. Whichever,
// the agent must meet the call's requirements at its relaxation step (routing.ts).
import { presenceReady } from "../readiness.ts";
import { meetsRequirements } from "./routing.ts";
import type { Agent, Call, QueueConfig, QueueState } from "./types.ts";

/** Slots in use per agent: active calls plus open offers, since an offer reserves a slot. */
export function usageOf(state: QueueState): Map<string, number> {
  const used = new Map<string, number>();
  for (const agent of state.agents.values()) used.set(agent.id, agent.activeCallIds.length);
  for (const call of state.calls.values()) {
    if (call.offer) used.set(call.offer.agentId, (used.get(call.offer.agentId) ?? 0) + 1);
  }
  return used;
}

/** Online, out of wrap-up and below capacity: the legacy test, and the floor for everyone. */
export function isAvailable(agent: Agent, used: number, now: number): boolean {
  return agent.status === "online" && (agent.wrapUpUntil === null || agent.wrapUpUntil <= now) && used < agent.maxCalls;
}

/** Available and, where the features are on, a fresh heartbeat and a connected device. */
export function isReady(agent: Agent, used: number, now: number, config: QueueConfig): boolean {
  return isAvailable(agent, used, now) && presenceReady(agent.presence, config.features);
}

/** Whether `agent` declined `call` recently enough to be skipped for it. */
export function declinedRecently(call: Call, agentId: string, now: number): boolean {
  const until = call.declined[agentId];
  return until !== undefined && until > now;
}

export type Candidates = { agents: Agent[]; fallback: boolean };

/** The agents `call` may be offered to now, and whether they come from the fallback. */
export function candidatesFor(
  call: Call,
  agents: Iterable<Agent>,
  usage: ReadonlyMap<string, number>,
  now: number,
  config: QueueConfig,
): Candidates {
  const open = [...agents].filter((a) => !declinedRecently(call, a.id, now) && meetsRequirements(a, call.requirements, call.relaxStep));
  const used = (a: Agent) => usage.get(a.id) ?? a.activeCallIds.length;
  if (!config.features.enhancedDiscovery) {
    return { agents: open.filter((a) => isAvailable(a, used(a), now)), fallback: false };
  }
  const ready = open.filter((a) => isReady(a, used(a), now, config));
  if (ready.length > 0 || !config.features.discoveryFallback) return { agents: ready, fallback: false };
  return { agents: open.filter((a) => isAvailable(a, used(a), now)), fallback: true };
}
