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

/** `issuing_country` only for documents whose upload stated one (issue 17). */
export type DocumentBrief = { id: string; doc_type: string; document_hash: string; issuing_country?: string };

/** An agent's skills by name (`lang:de`, `doc:residence_permit`) and level (1..5, higher is better). */
export type Skills = Readonly<Record<string, number>>;

/** What a call needs of its agent: a skill at least at a level. */
export type Requirement = { skill: string; level: number };

/** How far a waiting call's requirements are relaxed: 0 as stated, 1 the skills at any level,
 * 2 any agent. Only ever rises, one step at a time (routing.ts). */
export type RelaxStep = 0 | 1 | 2;

/** When a call reached a relaxation step: its routing timeline. */
export type Relaxation = { step: RelaxStep; at: number };

/** Opening hours in UTC: days 0 (Sunday)..6, minutes since midnight [from, to). */
export type WorkingHours = { days: number[]; fromMinute: number; toMinute: number };

/** A tenant's queue (issue 17): calls whose requirements name every skill in `requires` go to
 * the first such queue (in `position` order) open at enqueue time. */
export type RoutingQueue = {
  id: string;
  name: string;
  position: number;
  requires: string[];
  serviceLevelSeconds: number;
  /** Waited this long: the skills at any level; twice as long (if allowed): any agent. */
  relaxAfterSeconds: number | null;
  relaxToAnyAgent: boolean;
  workingHours: WorkingHours | null;
};

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
  /** Every one must be met by the agent offered the call (as relaxed by `relaxStep`). */
  requirements: Requirement[];
  /** The routing queue it went to; null for the tenant's default queue. */
  queueId: string | null;
  relaxStep: RelaxStep;
  relaxations: Relaxation[];
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
  /** Set by managers (D1 owns them; this is the copy dispatch reads). */
  skills: Skills;
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
  /** The tenant's routing queues (D1 owns them; the coordinator keeps the copy it dispatches
   * with). None: every call is in the default queue, with no relaxation. */
  queues?: readonly RoutingQueue[];
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
