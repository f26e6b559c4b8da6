// Dispatch: the highest-priority, oldest pending call without an offer goes to the best
// candidate agent as an offer that expires; repeated until no call or no free agent is left.
// Runs after every change, so a waiting call with a free eligible agent is always offered.
// Only agents with a free slot are considered, and the loop ends when none is left, so a deep
// queue costs little while every agent is busy.
import { candidatesFor, isAvailable, usageOf } from "./eligibility.ts";
import { pendingInOrder } from "./order.ts";
import { pickAgent } from "./scoring.ts";
import type { QueueTx } from "./transaction.ts";
import type { Agent } from "./types.ts";

export function dispatch(tx: QueueTx) {
  const usage = usageOf(tx.state());
  let free: Agent[] = [...tx.agents.values()].filter((a) => isAvailable(a, usage.get(a.id) ?? 0, tx.now));
  if (free.length === 0) return;
  for (const call of pendingInOrder(tx.calls.values())) {
    if (call.offer) continue;
    const { agents, fallback } = candidatesFor(call, free, usage, tx.now, tx.config);
    const agent = pickAgent(agents, usage, call.priority, tx.config.strategy, call.requirements);
    if (!agent) continue;
    const offer = {
      agentId: agent.id,
      offeredAt: tx.now,
      expiresAt: tx.now + tx.config.offerTimeoutSeconds * 1000,
      fallback,
    };
    const offered = { ...call, offer };
    tx.putCall(offered);
    usage.set(agent.id, (usage.get(agent.id) ?? 0) + 1);
    tx.count("offersMade");
    if (fallback) tx.count("fallbackOffers");
    tx.emit({ type: "offered", call: offered, agentId: agent.id, fallback });
    if ((usage.get(agent.id) ?? 0) >= agent.maxCalls) {
      free = free.filter((a) => a.id !== agent.id);
      if (free.length === 0) return;
    }
  }
}
