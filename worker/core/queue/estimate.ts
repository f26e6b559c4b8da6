// Queue positions and estimated waits for the customers' waiting rooms and the enqueue reply.
import { isAvailable, usageOf } from "./eligibility.ts";
import { pendingInOrder } from "./order.ts";
import { meetsRequirements } from "./routing.ts";
import { averageCallSeconds } from "./scoring.ts";
import type { Call, QueueState } from "./types.ts";

const DEFAULT_HANDLE_SECONDS = 600;

export type Position = { position: number; estimatedWaitSeconds: number };

/** Mean handle time over agents with history; the seed's 10 minutes when nobody has any. */
export function averageHandleSeconds(state: QueueState): number {
  const known = [...state.agents.values()].map(averageCallSeconds).filter((s): s is number => s !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) / known.length : DEFAULT_HANDLE_SECONDS;
}

/**
 * Position (1-based) and estimated wait of every pending call, within the call's own queue
 * (issue 17: calls of other queues do not wait for the same agents). Calls that free slots can
 * take now wait about nothing; the rest wait one handle time per "round" of the online agents
 * who meet their requirements.
 */
export function queuePositions(state: QueueState, now: number): Map<string, Position> {
  const agents = [...state.agents.values()];
  const usage = usageOf(state);
  const handle = averageHandleSeconds(state);
  // Servers and free slots depend only on what a call needs, so each need is counted once.
  const capacity = new Map<string, { servers: number; free: number }>();
  const capacityFor = (call: Call) => {
    const key = call.requirements.length ? `${call.relaxStep}|${JSON.stringify(call.requirements)}` : "";
    let known = capacity.get(key);
    if (!known) {
      const able = agents.filter((a) => meetsRequirements(a, call.requirements, call.relaxStep));
      known = {
        servers: Math.max(
          1,
          able.filter((a) => a.status === "online").reduce((n, a) => n + a.maxCalls, 0),
        ),
        free: able.filter((a) => isAvailable(a, usage.get(a.id) ?? 0, now)).reduce((n, a) => n + (a.maxCalls - (usage.get(a.id) ?? 0)), 0),
      };
      capacity.set(key, known);
    }
    return known;
  };
  const positions = new Map<string, Position>();
  const ahead = new Map<string | null, { calls: number; waiting: number }>();
  for (const call of pendingInOrder(state.calls.values())) {
    const queue = ahead.get(call.queueId) ?? { calls: 0, waiting: 0 };
    ahead.set(call.queueId, queue);
    queue.calls += 1;
    // Offered calls are about to be answered; the others queue behind the free slots, and each
    // full round of the able agents' capacity costs one average handle time.
    if (!call.offer) queue.waiting += 1;
    const { servers, free } = capacityFor(call);
    const behind = call.offer ? 0 : Math.max(0, queue.waiting - free);
    positions.set(call.id, { position: queue.calls, estimatedWaitSeconds: Math.round(Math.ceil(behind / servers) * handle) });
  }
  return positions;
}
