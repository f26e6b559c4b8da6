// Everything the queue must do at a given time: expire offers, age waiting calls, end
// wrap-ups, forget old declines and close calls left open too long. `nextDeadline` tells the
// Durable Object when to set its alarm; `runDeadlines` does what is due.
import { escalate, URGENT } from "../priority.ts";
import { agentFor, changeStatus, putAgent, releaseOffer } from "./agents.ts";
import { finishCall } from "./finish.ts";
import { compareCalls } from "./order.ts";
import { nextRelaxAt } from "./routing.ts";
import type { QueueTx } from "./transaction.ts";
import type { Call, QueueConfig, QueueState } from "./types.ts";

const minutes = (m: number) => m * 60_000;

/** When a call with an agent counts as left open: timed from its start, or from its
 * assignment while it has not started. */
const openSince = (call: Call) => call.startedAt ?? call.assignedAt;

/** The earliest time at which something in the queue falls due, or null. */
export function nextDeadline(state: QueueState, config: QueueConfig): number | null {
  let next = Infinity;
  const consider = (t: number | null | undefined) => {
    if (t != null && t < next) next = t;
  };
  for (const call of state.calls.values()) {
    consider(call.offer?.expiresAt);
    if (call.status === "pending" && call.priority < URGENT) consider(call.agedAt + minutes(config.ageEscalationMinutes));
    consider(nextRelaxAt(call, config));
    for (const until of Object.values(call.declined)) consider(until);
    const since = openSince(call);
    if (call.status !== "pending" && since !== null) consider(since + minutes(config.videoCallTimeoutMinutes));
  }
  for (const agent of state.agents.values()) consider(agent.wrapUpUntil);
  return next === Infinity ? null : next;
}

/** Does everything due at or before `tx.now`. */
export function runDeadlines(tx: QueueTx) {
  const { now, config } = tx;
  // In the order they ran out (then queue order), not the order storage returns calls in: the
  // miss that pauses an agent releases their later offers, so order decides which count as
  // expired, and an eviction must not change that.
  const expired = [...tx.calls.values()].filter((call) => call.offer && call.offer.expiresAt <= now);
  expired.sort((a, b) => a.offer!.expiresAt - b.offer!.expiresAt || compareCalls(a, b));
  for (const call of expired) expireOffer(tx, call.id);
  for (const call of [...tx.calls.values()]) {
    let current = tx.calls.get(call.id)!;
    if (current.status === "pending") {
      const period = minutes(config.ageEscalationMinutes);
      let { priority, agedAt } = current;
      while (priority < URGENT && agedAt + period <= now) {
        priority = escalate(priority);
        agedAt += period;
      }
      if (priority !== current.priority) {
        const aged = { ...current, priority, agedAt };
        tx.putCall(aged);
        tx.emit({ type: "escalated", call: aged, from: current.priority, to: priority });
        current = aged;
      }
      current = relax(tx, current);
    }
    const expiredDeclines = Object.entries(current.declined).filter(([, until]) => until <= now);
    if (expiredDeclines.length) {
      const declined = Object.fromEntries(Object.entries(current.declined).filter(([, until]) => until > now));
      tx.putCall({ ...current, declined });
    }
    const since = openSince(current);
    if (current.status !== "pending" && since !== null && since + minutes(config.videoCallTimeoutMinutes) <= now) {
      finishCall(tx, current, "abandoned", "timeout", null);
    }
  }
  for (const agent of [...tx.agents.values()]) {
    if (agent.wrapUpUntil !== null && agent.wrapUpUntil <= now) {
      putAgent(tx, agent, { ...agent, wrapUpUntil: null });
    }
  }
}

/** Takes a waiting call through every relaxation step due by now, one at a time and in order,
 * each on its routing timeline at the moment it fell due. */
function relax(tx: QueueTx, call: Call): Call {
  let current = call;
  for (let due = nextRelaxAt(current, tx.config); due !== null && due <= tx.now; due = nextRelaxAt(current, tx.config)) {
    const from = current.relaxStep;
    const to = (from + 1) as Call["relaxStep"];
    // A queue edited to relax sooner makes later steps due before earlier ones were taken:
    // each step is timed no earlier than the one before, so the timeline reads in order.
    const at = Math.max(due, current.relaxations.at(-1)?.at ?? due);
    current = { ...current, relaxStep: to, relaxations: [...current.relaxations, { step: to, at }] };
    tx.putCall(current);
    tx.emit({ type: "relaxed", call: current, from, to });
  }
  return current;
}

/** An offer ran out: the call returns to its place; too many misses in a row pause the agent. */
function expireOffer(tx: QueueTx, callId: string) {
  const call = tx.calls.get(callId);
  if (!call?.offer) return;
  const agentId = call.offer.agentId;
  tx.count("offersExpired");
  releaseOffer(tx, call, "expired");
  const agent = agentFor(tx, agentId);
  const missed = agent.missedOffersInRow + 1;
  if (missed >= tx.config.maxMissedOffers && agent.status === "online") {
    changeStatus(tx, agent, "away", { missedOffersInRow: missed });
  } else {
    putAgent(tx, agent, { ...agent, missedOffersInRow: missed });
  }
}
