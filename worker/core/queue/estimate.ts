// Queue positions and estimated waits for the customers' waiting rooms and the enqueue reply.
import { isAvailable, usageOf } from "./eligibility.ts";
import { pendingInOrder } from "./order.ts";
import { averageCallSeconds } from "./scoring.ts";
import type { QueueState } from "./types.ts";

const DEFAULT_HANDLE_SECONDS = 600;

export type Position = { position: number; estimatedWaitSeconds: number };

/** Mean handle time over agents with history; the seed's 10 minutes when nobody has any. */
export function averageHandleSeconds(state: QueueState): number {
  const known = [...state.agents.values()].map(averageCallSeconds).filter((s): s is number => s !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) / known.length : DEFAULT_HANDLE_SECONDS;
}

/**
 * Position (1-based) and estimated wait of every pending call. Calls that free slots can take
 * now wait about nothing; the rest wait one handle time per "round" of the online agents.
 */
export function queuePositions(state: QueueState, now: number): Map<string, Position> {
  const agents = [...state.agents.values()];
  const online = agents.filter((a) => a.status === "online");
  const servers = Math.max(
    1,
    online.reduce((n, a) => n + a.maxCalls, 0),
  );
  const usage = usageOf(state);
  const free = agents
    .filter((a) => isAvailable(a, usage.get(a.id) ?? 0, now))
    .reduce((n, a) => n + (a.maxCalls - (usage.get(a.id) ?? 0)), 0);
  const handle = averageHandleSeconds(state);
  const positions = new Map<string, Position>();
  let waiting = 0;
  pendingInOrder(state.calls.values()).forEach((call, i) => {
    // Offered calls are about to be answered; the others queue behind the free slots, and each
    // full round of the online agents' capacity costs one average handle time.
    if (!call.offer) waiting += 1;
    const behind = call.offer ? 0 : Math.max(0, waiting - free);
    positions.set(call.id, { position: i + 1, estimatedWaitSeconds: Math.round(Math.ceil(behind / servers) * handle) });
  });
  return positions;
}
