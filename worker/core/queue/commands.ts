// The queue's commands. Each validates first and only then changes the working set, so a
// refused command changes nothing. Dispatch runs after every command (see engine.ts).
import { agentFor, changeStatus, putAgent, releaseOffer, releaseOffersOf } from "./agents.ts";
import { usageOf } from "./eligibility.ts";
import { finishCall } from "./finish.ts";
import { matchQueue, meetsRequirements, requirementsFor } from "./routing.ts";
import { fail, ok, type CallOutcome, type Outcome, type QueueTx } from "./transaction.ts";
import type { PresenceFacts } from "../readiness.ts";
import type { Agent, AgentStatus, Call, Requirement, Skills } from "./types.ts";

/** What enqueue needs; the rest of a Call is the queue's own bookkeeping. */
export type NewCall = Pick<
  Call,
  "id" | "tenantId" | "verificationId" | "customerId" | "userName" | "priority" | "fraudScore" | "documents"
> & {
  /** Stated by the client app: always required. */
  requirements?: Requirement[];
  /** Read off the verification (language, document types): required where the tenant routes on them. */
  derivedRequirements?: Requirement[];
};

/** Who acts: `manage` is the video_calls.manage permission. */
export type Actor = { userId: string; manage: boolean };

const notFound = (id: string) => fail(404, "not_found", "Video call was not found.", { call_id: id });

/** Adds a call to the queue; one open call per verification. */
export function enqueue(tx: QueueTx, input: NewCall): Outcome<Call> {
  if (tx.calls.has(input.id)) return ok(tx.calls.get(input.id)!);
  for (const call of tx.calls.values()) {
    if (call.verificationId === input.verificationId) {
      return fail(409, "call_already_open", "This verification already has an open video call.", { call_id: call.id });
    }
  }
  tx.seq += 1;
  const { derivedRequirements, ...fields } = input;
  const requirements = requirementsFor(input.requirements ?? [], derivedRequirements ?? [], tx, tx.config);
  const call: Call = {
    ...fields,
    requirements,
    queueId: matchQueue(requirements, tx.config, tx.now)?.id ?? null,
    relaxStep: 0,
    relaxations: [],
    initialPriority: input.priority,
    enqueuedAt: tx.now,
    seq: tx.seq,
    agedAt: tx.now,
    status: "pending",
    offer: null,
    declined: {},
    assignedAgentId: null,
    assignedAt: null,
    sessionId: null,
    startedAt: null,
  };
  tx.putCall(call);
  tx.emit({ type: "enqueued", call });
  return ok(call);
}

/** An agent sets their own status (and optionally their capacity). */
export function setAgentStatus(
  tx: QueueTx,
  input: { agentId: string; name: string; status: AgentStatus; maxCalls?: number },
): Outcome<Agent> {
  const agent = agentFor(tx, input.agentId, input.name);
  if (input.maxCalls !== undefined && input.maxCalls < agent.activeCallIds.length) {
    return fail(409, "capacity_below_active_calls", "Finish some calls before lowering your capacity below them.", {
      active_calls: agent.activeCallIds.length,
    });
  }
  const withCapacity = input.maxCalls ? { ...agent, maxCalls: input.maxCalls } : agent;
  if (withCapacity.maxCalls !== agent.maxCalls) releaseOffersOf(tx, agent.id, "agent_unavailable");
  return ok(changeStatus(tx, withCapacity, input.status));
}

/** A manager sets an agent's skills, replacing the ones held. Offers the agent no longer meets
 * the requirements of go back to the queue; calls they already hold stay theirs. */
export function setAgentSkills(tx: QueueTx, input: { agentId: string; name?: string; skills: Skills }): Outcome<Agent> {
  const agent = agentFor(tx, input.agentId, input.name);
  const updated: Agent = { ...agent, skills: { ...input.skills } };
  putAgent(tx, tx.agents.get(agent.id), updated);
  for (const call of [...tx.calls.values()]) {
    if (call.offer?.agentId === agent.id && !meetsRequirements(updated, call.requirements, call.relaxStep)) {
      releaseOffer(tx, call, "agent_unavailable");
    }
  }
  return ok(updated);
}

/** Every listed agent's skills at once (a coordinator taking the tenant's skills from D1). */
export function setSkillsOfAll(tx: QueueTx, agents: ReadonlyArray<{ agentId: string; skills: Skills }>): Outcome<number> {
  for (const { agentId, skills } of agents) setAgentSkills(tx, { agentId, skills });
  return ok(agents.length);
}

/**
 * AgentPresence's record of the agent's heartbeat and device, sent whole when it changes (never
 * on every beat). It replaces the one held; a record older than that one arrived late and is
 * ignored. Offline takes the agent off the queue.
 */
export function presenceChanged(tx: QueueTx, input: { agentId: string; name?: string; presence: PresenceFacts }): Outcome<Agent> {
  const agent = agentFor(tx, input.agentId, input.name);
  if (input.presence.at < agent.presence.at) return ok(agent);
  const updated: Agent = { ...agent, presence: input.presence };
  if (input.presence.offline) return ok(changeStatus(tx, updated, "offline"));
  putAgent(tx, tx.agents.get(agent.id), updated);
  return ok(updated);
}

/** Takes the call for `agent`: assigned, their slot used, other agents told it is gone. */
function assignTo(tx: QueueTx, call: Call, agent: Agent, sessionId: string, via: "offer" | "list" | "manager"): Call {
  const previousAgentId = call.assignedAgentId;
  if (previousAgentId && previousAgentId !== agent.id) {
    const previous = agentFor(tx, previousAgentId);
    putAgent(tx, previous, { ...previous, activeCallIds: previous.activeCallIds.filter((id) => id !== call.id), idleSince: tx.now });
  }
  const current = call.offer && call.offer.agentId !== agent.id ? releaseOffer(tx, call, "reassigned") : call;
  const assigned: Call = {
    ...current,
    status: "assigned",
    offer: null,
    assignedAgentId: agent.id,
    assignedAt: tx.now,
    sessionId: call.sessionId ?? sessionId,
  };
  tx.putCall(assigned);
  putAgent(tx, tx.agents.get(agent.id), {
    ...agent,
    missedOffersInRow: 0,
    activeCallIds: agent.activeCallIds.includes(call.id) ? agent.activeCallIds : [...agent.activeCallIds, call.id],
  });
  // The assignee's own open offer ends with the assignment, whoever made it (a manager too).
  const ownOffer = call.offer?.agentId === agent.id ? call.offer : null;
  tx.emit({ type: "assigned", call: assigned, agentId: agent.id, via, offer: ownOffer, previousAgentId });
  return assigned;
}

/**
 * Makes room for one more active call: if the agent's open offers (other than `callId`)
 * would push them past capacity they are released first; false if active calls alone fill it.
 */
function makeRoom(tx: QueueTx, agent: Agent, callId: string): boolean {
  if (agent.activeCallIds.length >= agent.maxCalls) return false;
  const used = usageOf(tx.state()).get(agent.id) ?? agent.activeCallIds.length;
  const ownOffer = tx.calls.get(callId)?.offer?.agentId === agent.id ? 1 : 0;
  if (used - ownOffer >= agent.maxCalls) releaseOffersOf(tx, agent.id, "superseded", callId);
  return true;
}

/** An agent accepts a call offered to them, or takes any pending call not offered to someone else. */
export function accept(tx: QueueTx, input: { callId: string; agentId: string; name: string; sessionId: string }): Outcome<Call> {
  const call = tx.calls.get(input.callId);
  if (!call) return notFound(input.callId);
  if (call.status !== "pending") {
    if (call.assignedAgentId === input.agentId) return ok(call);
    return fail(409, "call_already_taken", "Another agent already took this call.", { status: call.status });
  }
  if (call.offer && call.offer.agentId !== input.agentId) {
    return fail(409, "call_offered_to_another_agent", "This call is reserved for another agent right now.", {
      offer_expires_at: new Date(call.offer.expiresAt).toISOString(),
    });
  }
  const agent = agentFor(tx, input.agentId, input.name);
  // A call offered to this agent met their skills when offered; one taken from the list must now.
  if (!call.offer && !meetsRequirements(agent, call.requirements, call.relaxStep)) {
    return fail(409, "missing_required_skills", "This call needs skills you do not have (yet).", {
      requirements: call.requirements,
    });
  }
  if (!makeRoom(tx, agent, call.id)) {
    return fail(409, "agent_at_capacity", "You already have as many calls as you can take.", { max_calls: agent.maxCalls });
  }
  if (call.offer) tx.count("offersAccepted");
  return ok(assignTo(tx, call, agentFor(tx, input.agentId), input.sessionId, call.offer ? "offer" : "list"));
}

/** An agent declines: an offered call returns to its old place; an assigned, unstarted call too. */
export function reject(tx: QueueTx, input: { callId: string; agentId: string }): Outcome<Call> {
  const call = tx.calls.get(input.callId);
  if (!call) return notFound(input.callId);
  if (call.status === "pending" && call.offer?.agentId === input.agentId) {
    tx.count("offersRejected");
    const released = releaseOffer(tx, call, "rejected");
    const agent = agentFor(tx, input.agentId);
    putAgent(tx, agent, { ...agent, missedOffersInRow: 0 });
    return ok(released);
  }
  if (call.status === "assigned" && call.assignedAgentId === input.agentId) {
    const agent = agentFor(tx, input.agentId);
    putAgent(tx, agent, { ...agent, activeCallIds: agent.activeCallIds.filter((id) => id !== call.id), idleSince: tx.now });
    const back: Call = {
      ...call,
      status: "pending",
      assignedAgentId: null,
      assignedAt: null,
      sessionId: null,
      declined: { ...call.declined, [input.agentId]: tx.now + tx.config.declineCooldownSeconds * 1000 },
    };
    tx.putCall(back);
    tx.emit({ type: "unassigned", call: back, agentId: input.agentId });
    return ok(back);
  }
  return fail(409, "call_not_offered_to_you", "This call is not offered or assigned to you.", { status: call.status });
}

/** A manager assigns a call to an agent, or lets the scorer pick when no agent is named. */
export function assign(
  tx: QueueTx,
  input: { callId: string; agent?: { id: string; name: string }; sessionId: string },
  pickBest: (tx: QueueTx, call: Call) => Agent | null,
): Outcome<Call> {
  const call = tx.calls.get(input.callId);
  if (!call) return notFound(input.callId);
  if (call.status === "in_progress") return fail(409, "call_in_progress", "The call has already started.");
  const agent = input.agent ? agentFor(tx, input.agent.id, input.agent.name) : pickBest(tx, call);
  if (!agent) return fail(409, "no_agent_available", "No agent is available for this call.");
  if (call.assignedAgentId === agent.id) return ok(call);
  if (agent.status === "offline") {
    return fail(409, "agent_offline", "That agent is offline.", { agent_id: agent.id });
  }
  if (!makeRoom(tx, agent, call.id)) {
    return fail(409, "agent_at_capacity", "That agent already has as many calls as they can take.", { agent_id: agent.id });
  }
  return ok(assignTo(tx, tx.calls.get(call.id)!, agentFor(tx, agent.id), input.sessionId, "manager"));
}

/** The assigned agent, the customer or a manager starts the call (idempotent). */
export function start(tx: QueueTx, input: { callId: string; actor: Actor; customer: boolean }): Outcome<Call> {
  const call = tx.calls.get(input.callId);
  if (!call) return notFound(input.callId);
  const allowed =
    call.assignedAgentId === input.actor.userId || input.actor.manage || (input.customer && call.customerId === input.actor.userId);
  if (!allowed) return fail(403, "forbidden", "Only the call's agent, its customer or a manager can start it.");
  if (call.status === "in_progress") return ok(call);
  if (call.status !== "assigned") return fail(409, "call_not_assigned", "The call has no agent yet.", { status: call.status });
  const started: Call = { ...call, status: "in_progress", startedAt: tx.now };
  tx.putCall(started);
  tx.emit({ type: "started", call: started });
  return ok(started);
}

/** The assigned agent completes the call once it is under way; the agent's slot frees at once.
 * A decision is evidence that this agent saw this person on video, so nobody else may record
 * it (managers change it only through an audited override) and not before the call started. */
export function complete(
  tx: QueueTx,
  input: { callId: string; actor: Actor; durationSeconds?: number; outcome?: CallOutcome },
): Outcome<{ call: Call; durationSeconds: number | null }> {
  const call = tx.calls.get(input.callId);
  if (!call) return notFound(input.callId);
  if (call.assignedAgentId !== input.actor.userId) {
    return fail(403, "not_assigned_agent", "Only the agent this call is assigned to can record its decision.");
  }
  if (call.status !== "in_progress") {
    return fail(409, "call_not_started", "The video call must have started before its decision is recorded.", { status: call.status });
  }
  const durationSeconds = finishCall(tx, call, "completed", "completed", input.durationSeconds ?? null, input.outcome ?? null);
  return ok({ call, durationSeconds });
}

/** The customer cancels their own call, or a manager cancels any call. */
export function cancel(tx: QueueTx, input: { callId: string; actor: Actor }): Outcome<Call> {
  const call = tx.calls.get(input.callId);
  if (!call) return notFound(input.callId);
  const isCustomer = call.customerId === input.actor.userId;
  if (!isCustomer && !input.actor.manage) return fail(403, "forbidden", "Only the customer or a manager can cancel this call.");
  finishCall(tx, call, "cancelled", isCustomer ? "customer_cancelled" : "staff_cancelled", null);
  return ok(call);
}

/** Midnight: per-agent daily counters start again (seed 000's reset_daily_call_counts). */
export function dailyReset(tx: QueueTx): Outcome<number> {
  let reset = 0;
  for (const agent of tx.agents.values()) {
    if (agent.callsToday === 0) continue;
    tx.putAgent({ ...agent, callsToday: 0 });
    reset++;
  }
  return ok(reset);
}
