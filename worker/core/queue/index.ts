// The queue engine's public surface: pure functions over plain data (see types.ts).
export * from "./commands.ts";
export { nextDeadline } from "./deadlines.ts";
export { bestAgentFor, runCommand, type Transition } from "./engine.ts";
export { queuePositions, type Position } from "./estimate.ts";
export { pendingInOrder, compareCalls } from "./order.ts";
export { averageCallSeconds } from "./scoring.ts";
export { usageOf } from "./eligibility.ts";
export { callSeconds } from "./finish.ts";
export { roomSessionsOf } from "./sessions.ts";
export type { CallOutcome, OfferReleaseReason, FinishReason, QueueEvent, QueueError, Outcome } from "./transaction.ts";
export * from "./types.ts";
