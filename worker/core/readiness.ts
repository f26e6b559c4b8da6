// Agent readiness (seed 004): the one record of an agent's live facts and the one set of rules
// over it. The queue (eligibility, dashboards), the heartbeat reply, the heartbeat statistics
// and direct-call reachability all read these, so the same facts give the same verdict and the
// same 0..100 score everywhere. Pure.
import type { AgentStatus } from "./agent-status.ts";

/**
 * The heartbeat half, owned by AgentPresence: what it knew at `at`. It is always sent whole, so
 * a receiver never keeps a stale part, and of two records the later `at` wins (reports can cross).
 */
export type PresenceFacts = {
  /** The latest beat, or null when none was ever received. */
  lastBeatAt: number | null;
  /** The latest beat found a camera and microphone (false once the agent is offline). */
  deviceConnected: boolean;
  /** Beats were on time at `at`; presence reports the moment that stops. */
  fresh: boolean;
  /** No beat for OFFLINE_AFTER_SECONDS at `at`, or none ever. */
  offline: boolean;
  at: number;
};

/** The status and load half, owned by the QueueCoordinator, as of `at` (its clock). */
export type LoadFacts = {
  status: AgentStatus;
  /** Calls assigned to or in progress with the agent (open offers are not load yet). */
  activeCalls: number;
  maxCalls: number;
  at: number;
};

/** Everything an agent's readiness depends on. Each half has one owner; the other side keeps
 * the half it last heard, replaced whole. */
export type AgentFacts = { presence: PresenceFacts; load: LoadFacts };

export type ReadinessConfig = {
  heartbeatIntervalSeconds: number;
  offlineAfterSeconds: number;
};

/** The parts of the queue's feature flags that readiness answers to. */
export type ReadinessFeatures = { agentHeartbeat: boolean; deviceConnectivity: boolean };

/** What nobody has heard yet: no beat, no device. */
export const NO_PRESENCE: PresenceFacts = { lastBeatAt: null, deviceConnected: false, fresh: false, offline: true, at: 0 };

const STATUS_POINTS = { online: 40, busy: 15, away: 5, offline: 0 } as const;

/** A beat stays fresh for one and a half intervals: one late beat is tolerated. */
export const freshForMs = (config: ReadinessConfig) => config.heartbeatIntervalSeconds * 1500;

/** Silence of `offlineAfterMs` or more since the last beat (or no beat at all) means gone. The
 * rule for video presence and for direct calls alike. */
export function isSilent(lastBeatAt: number | null, now: number, offlineAfterMs: number): boolean {
  return lastBeatAt === null || now - lastBeatAt >= offlineAfterMs;
}

/** The heartbeat judged from the time since the last beat: what presence reports. */
export function heartbeatAt(lastBeatAt: number | null, now: number, config: ReadinessConfig): { fresh: boolean; offline: boolean } {
  if (isSilent(lastBeatAt, now, config.offlineAfterSeconds * 1000)) return { fresh: false, offline: true };
  return { fresh: now - lastBeatAt! <= freshForMs(config), offline: false };
}

/** Heartbeat points: 30 while fresh, then falling linearly to 0 at the offline threshold. */
function heartbeatPoints(p: PresenceFacts, now: number, config: ReadinessConfig): number {
  if (p.offline || p.lastBeatAt === null) return 0;
  if (p.fresh) return 30;
  const fresh = freshForMs(config) / 1000;
  const span = Math.max(1, config.offlineAfterSeconds - fresh);
  const age = (now - p.lastBeatAt) / 1000;
  return Math.min(30, Math.max(0, 30 * (1 - (age - fresh) / span)));
}

/** 0..100 at `now`: status 40, heartbeat 30 (decaying until the offline threshold), device 20, spare capacity 10. */
export function readinessScore(facts: AgentFacts, now: number, config: ReadinessConfig): number {
  const { presence, load } = facts;
  const spare = load.maxCalls > 0 ? Math.max(0, load.maxCalls - load.activeCalls) / load.maxCalls : 0;
  const device = presence.deviceConnected ? 20 : 0;
  return Math.round(STATUS_POINTS[load.status] + heartbeatPoints(presence, now, config) + device + 10 * spare);
}

/** Seed 004's presence test for offers: a fresh heartbeat and a connected device, where the
 * features ask for them (status and capacity are the queue's own test). */
export function presenceReady(p: PresenceFacts, features: ReadinessFeatures): boolean {
  if (features.agentHeartbeat && !p.fresh) return false;
  if (features.deviceConnectivity && !p.deviceConnected) return false;
  return true;
}
