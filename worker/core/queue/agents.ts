// Agent records inside the queue: creation on first contact, status changes, releasing the
// offers an agent can no longer answer, and the agent's facts as readiness reads them.
import { NO_PRESENCE, type AgentFacts, type LoadFacts } from "../readiness.ts";
import type { QueueTx, OfferReleaseReason } from "./transaction.ts";
import type { Agent, AgentStatus, Call, QueueState } from "./types.ts";

/** A new agent as the coordinator first hears of them: offline until they say otherwise. */
export function newAgent(id: string, name: string, now: number): Agent {
  return {
    id,
    name,
    status: "offline",
    maxCalls: 1,
    activeCallIds: [],
    callsToday: 0,
    completedCalls: 0,
    totalCallSeconds: 0,
    missedOffersInRow: 0,
    wrapUpUntil: null,
    idleSince: now,
    statusChangedAt: now,
    presence: NO_PRESENCE,
    skills: {},
  };
}

/** The coordinator's half of the agent's facts, as of `now`. */
export function loadOf(agent: Agent, now: number): LoadFacts {
  return { status: agent.status, activeCalls: agent.activeCallIds.length, maxCalls: agent.maxCalls, at: now };
}

/** The loads AgentPresence objects must hear after a transition: the whole half of each agent
 * whose status or load changed (stamped `now`), not of agents merely touched. */
export function changedLoads(before: QueueState, after: QueueState, touched: Iterable<string>, now: number): Array<[string, LoadFacts]> {
  const out: Array<[string, LoadFacts]> = [];
  for (const id of touched) {
    const agent = after.agents.get(id);
    if (!agent) continue;
    const load = loadOf(agent, now);
    const old = before.agents.get(id);
    if (old && old.status === agent.status && old.activeCallIds.length === load.activeCalls && old.maxCalls === agent.maxCalls) continue;
    out.push([id, load]);
  }
  return out;
}

/** The agent's whole record at `now`: its status and load, and presence's half as last heard. */
export function factsOf(agent: Agent, now: number): AgentFacts {
  return { presence: agent.presence, load: loadOf(agent, now) };
}

/** The agent's record, created when unknown. */
export function agentFor(tx: QueueTx, id: string, name?: string): Agent {
  const existing = tx.agents.get(id);
  if (existing) return name && existing.name !== name ? { ...existing, name } : existing;
  return newAgent(id, name ?? "Agent", tx.now);
}

/** Stores an agent and tells managers when the status moved. */
export function putAgent(tx: QueueTx, before: Agent | undefined, after: Agent) {
  tx.putAgent(after);
  if (!before || before.status !== after.status || before.maxCalls !== after.maxCalls) {
    tx.emit({ type: "agentUpdated", agent: after, previousStatus: before?.status ?? null });
  }
}

/** Ends one call's open offer: the call is back in its old place. A decline keeps that agent
 * from being offered the same call again for the cooldown. */
export function releaseOffer(tx: QueueTx, call: Call, reason: OfferReleaseReason): Call {
  if (!call.offer) return call;
  const agentId = call.offer.agentId;
  const declined =
    reason === "rejected" || reason === "expired"
      ? { ...call.declined, [agentId]: tx.now + tx.config.declineCooldownSeconds * 1000 }
      : call.declined;
  const released = { ...call, offer: null, declined };
  tx.putCall(released);
  tx.emit({ type: "offerReleased", call: released, agentId, offer: call.offer, reason });
  return released;
}

/** Returns every call offered to `agentId` (but `except`) to the queue. */
export function releaseOffersOf(tx: QueueTx, agentId: string, reason: OfferReleaseReason, except?: string) {
  for (const call of [...tx.calls.values()]) {
    if (call.offer?.agentId === agentId && call.id !== except) releaseOffer(tx, call, reason);
  }
}

/** Moves an agent to `status`; leaving "online" releases their open offers. */
export function changeStatus(tx: QueueTx, agent: Agent, status: AgentStatus, extra: Partial<Agent> = {}): Agent {
  const before = tx.agents.get(agent.id);
  const comingOnline = status === "online" && agent.status !== "online";
  const next: Agent = {
    ...agent,
    ...extra,
    status,
    statusChangedAt: agent.status === status ? agent.statusChangedAt : tx.now,
    ...(comingOnline ? { missedOffersInRow: 0, idleSince: agent.activeCallIds.length ? agent.idleSince : tx.now } : {}),
  };
  putAgent(tx, before, next);
  if (status !== "online") releaseOffersOf(tx, agent.id, "agent_unavailable");
  return next;
}
