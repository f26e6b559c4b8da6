// The video-call queue core's public surface: pure functions over plain data (see types.ts) —
// the engine's commands, and the projections of its state into messages, views and D1 writes.
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
export { changedLoads, factsOf, loadOf, newAgent } from "./agents.ts";
export { activeCalls, dashboardMessagesFor, dashboardSnapshot, liveFigures, type DashboardSnapshot } from "./dashboard-events.ts";
export * from "./greetings.ts";
export { notificationsFor, roomPath, socketTag, type Outgoing } from "./notifications.ts";
export { queueFromRows, rowChanges, type QueueRows, type RowChanges, type Touched } from "./persisted.ts";
export { projectEvents, verificationQueuedOp } from "./projection.ts";
export * from "./refusals.ts";
export * from "./staff-frames.ts";
export type { QueueTx } from "./transaction.ts";
export { agentView, callView, finishedCallView, queueSummary, routingView } from "./views.ts";
export { matchQueue, meetsRequirements, nextRelaxAt, queueOf, unmatched, verificationNeeds, MAX_SKILL_LEVEL } from "./routing.ts";
export { liveQueueFigures, queueFiguresView, type LiveQueueFigures } from "./queue-figures.ts";
