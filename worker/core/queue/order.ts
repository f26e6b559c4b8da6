// Queue order: highest priority first, then oldest, then first enqueued.
import type { Call } from "./types.ts";

/** Comparator for the queue order (negative when `a` is served before `b`). */
export function compareCalls(a: Call, b: Call): number {
  return b.priority - a.priority || a.enqueuedAt - b.enqueuedAt || a.seq - b.seq;
}

/** Every pending call, in the order agents should be offered them. */
export function pendingInOrder(calls: Iterable<Call>): Call[] {
  return [...calls].filter((c) => c.status === "pending").sort(compareCalls);
}
