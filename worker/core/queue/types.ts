// The queue engine's plain data. Everything the QueueCoordinator Durable Object persists
// is one of these shapes; the rules over them live in the sibling modules.
import type { AgentStatus } from "../agent-status.ts";
import type { PriorityLevel } from "../priority.ts";
import type { PresenceFacts } from "../readiness.ts";

export type LiveCallStatus = "pending" | "assigned" | "in_progress";
export type FinishedCallStatus = "completed" | "cancelled" | "abandoned";
export type CallStatus = LiveCallStatus | FinishedCallStatus;

/** An open offer: the agent is reserved for the call until `expiresAt`. */
export type Offer = { agentId: string; offeredAt: number; expiresAt: number; fallback: boolean };

export type DocumentBrief = { id: string; doc_type: string; document_hash: string };

export type Call = {
  id: string;
  tenantId: string;
  verificationId: string;
  customerId: string;
  userName: string;
  /** Current priority, raised by ageing. */
  priority: PriorityLevel;
  /** Priority at enqueue time. */
  initialPriority: PriorityLevel;
  /** Queue order is (priority desc, enqueuedAt asc, seq asc); neither changes on reject or expiry,
   * which is what returns a call to its old place. */
  enqueuedAt: number;
  seq: number;
  /** When the call last rose a level (or was enqueued): the next escalation is one period later. */
  agedAt: number;
  status: LiveCallStatus;
  offer: Offer | null;
  /** Agents who declined (rejected or let expire) and until when they are not offered it again. */
  declined: Record<string, number>;
  assignedAgentId: string | null;
  assignedAt: number | null;
  sessionId: string | null;
  startedAt: number | null;
  fraudScore: number | null;
  documents: DocumentBrief[];
};

export type { AgentStatus };

export type Agent = {
  id: string;
  name: string;
  status: AgentStatus;
  maxCalls: number;
  /** Calls assigned or in progress with this agent. */
  activeCallIds: string[];
  callsToday: number;
  completedCalls: number;
  totalCallSeconds: number;
  missedOffersInRow: number;
  /** No new offers before this time (wrap-up after a call). */
  wrapUpUntil: number | null;
  /** When the agent last became free or came online: "longest idle" orders by it. */
  idleSince: number;
  statusChangedAt: number;
  /** AgentPresence's record as last heard, replaced whole on each report (the coordinator
   * hears changes, not every beat; presence owns these facts). */
  presence: PresenceFacts;
};

export type AssignmentStrategy = "score" | "longest-idle" | "fewest-calls";

export type QueueConfig = {
  offerTimeoutSeconds: number;
  maxMissedOffers: number;
  wrapUpSeconds: number;
  ageEscalationMinutes: number;
  declineCooldownSeconds: number;
  videoCallTimeoutMinutes: number;
  strategy: AssignmentStrategy;
  features: {
    agentHeartbeat: boolean;
    deviceConnectivity: boolean;
    enhancedDiscovery: boolean;
    discoveryFallback: boolean;
  };
};

export type QueueCounters = {
  /** Offers made to an agent that did not pass readiness, because no agent did (seed 004 fallback). */
  fallbackOffers: number;
  offersMade: number;
  offersAccepted: number;
  offersRejected: number;
  offersExpired: number;
};

export type QueueState = {
  calls: ReadonlyMap<string, Call>;
  agents: ReadonlyMap<string, Agent>;
  /** Monotonic tie-breaker for calls enqueued in the same millisecond. */
  seq: number;
  counters: QueueCounters;
};

export const emptyCounters = (): QueueCounters => ({
  fallbackOffers: 0,
  offersMade: 0,
  offersAccepted: 0,
  offersRejected: 0,
  offersExpired: 0,
});

export const emptyQueue = (): QueueState => ({ calls: new Map(), agents: new Map(), seq: 0, counters: emptyCounters() });

/** A flat JSON record: what a completion stores for idempotent retries (crosses RPC typed). */
export type FlatRecord = Record<string, string | number | boolean | null>;
