// Heartbeat presence of one agent (seed 004): what a beat or the passing of time changes, and
// when the queue must hear of it. Beats are frequent; the queue hears only when its record would
// change (fresh ↔ stale, device on ↔ off, offline), so it is not woken every 30 s. Every report
// is the whole PresenceFacts record with its time. A report counts as told only once the queue
// has acknowledged it (markReported), so one that failed is sent again by the next beat or alarm.
import { freshForMs, heartbeatAt, type AgentFacts, type LoadFacts, type PresenceFacts, type ReadinessConfig } from "./readiness.ts";

/** What AgentPresence persists. */
export type Presence = {
  lastBeatAt: number | null;
  /** What the latest beat said about camera and microphone. */
  deviceConnected: boolean;
  beatsToday: number;
  /** The record the queue last acknowledged; null before the first. */
  reported: PresenceFacts | null;
  /** The queue's half of the facts as it last told them (the queue owns it). */
  queue: LoadFacts;
};

export const initialPresence = (): Presence => ({
  lastBeatAt: null,
  deviceConnected: false,
  beatsToday: 0,
  reported: null,
  queue: { status: "offline", activeCalls: 0, maxCalls: 1, at: 0 },
});

export type PresenceConfig = ReadinessConfig & { heartbeatEnabled: boolean };

/** The heartbeat half of the facts at `now`. With heartbeats switched off silence is not judged:
 * one beat keeps the agent fresh. An offline agent's device is not known to be connected. */
export function presenceFacts(p: Presence, now: number, config: PresenceConfig): PresenceFacts {
  const beat = config.heartbeatEnabled
    ? heartbeatAt(p.lastBeatAt, now, config)
    : { fresh: p.lastBeatAt !== null, offline: p.lastBeatAt === null };
  return { lastBeatAt: p.lastBeatAt, deviceConnected: p.deviceConnected && !beat.offline, ...beat, at: now };
}

/** The agent's whole record at `now`, the queue's half as last heard: what the heartbeat
 * reply's readiness is computed from. */
export function agentFactsAt(p: Presence, now: number, config: PresenceConfig): AgentFacts {
  return { presence: presenceFacts(p, now, config), load: p.queue };
}

/** Whether the queue's copy `told` misses something of `current` that its rules read. While the
 * beat is fresh its exact time does not matter (readiness gives full points); once it is not,
 * the queue needs it for the decay. */
function differs(told: PresenceFacts | null, current: PresenceFacts): boolean {
  if (!told) return true;
  if (told.fresh !== current.fresh || told.offline !== current.offline || told.deviceConnected !== current.deviceConnected) return true;
  return !current.fresh && told.lastBeatAt !== current.lastBeatAt;
}

/** The record to send at `now`, or null when the queue's copy is still right. */
function dueReport(p: Presence, now: number, config: PresenceConfig): PresenceFacts | null {
  const current = presenceFacts(p, now, config);
  return differs(p.reported, current) ? current : null;
}

/** A beat: the agent is fresh; the report is the record when the queue's copy is now wrong. */
export function afterBeat(
  p: Presence,
  deviceConnected: boolean,
  now: number,
  config: PresenceConfig,
): { next: Presence; report: PresenceFacts | null } {
  const next = { ...p, lastBeatAt: now, deviceConnected, beatsToday: p.beatsToday + 1 };
  return { next, report: dueReport(next, now, config) };
}

/** The passing of time: a late heartbeat turns stale, a long-missing one means offline. */
export function afterTime(p: Presence, now: number, config: PresenceConfig): PresenceFacts | null {
  return p.lastBeatAt === null ? null : dueReport(p, now, config);
}

/** The presence once the queue acknowledged `report` (a later acknowledged record stays). */
export function markReported(p: Presence, report: PresenceFacts): Presence {
  return p.reported && p.reported.at > report.at ? p : { ...p, reported: report };
}

/** The queue's half as it tells it now (an older copy that arrives late is ignored). */
export function heardFromQueue(p: Presence, load: LoadFacts): Presence {
  return load.at < p.queue.at ? p : { ...p, queue: load };
}

/**
 * Whether a beat from a dashboard that believes it is `currentStatus` should set that status
 * back: only when the agent is offline because presence reported them silent (a network gap).
 * An agent who chose offline, or whom the queue paused, keeps that status.
 */
export function restoresStatus(p: Presence, currentStatus: LoadFacts["status"] | undefined): boolean {
  return currentStatus !== undefined && currentStatus !== "offline" && p.queue.status === "offline" && p.reported?.offline === true;
}

/** When `afterTime` will next have something to report: the earliest moment, after the last
 * report, of turning stale or going offline that the queue has not been told, or null. Offline
 * can come first, when OFFLINE_AFTER_SECONDS is shorter than the fresh window. */
export function nextPresenceDeadline(p: Presence, config: PresenceConfig): number | null {
  if (!config.heartbeatEnabled || p.lastBeatAt === null) return null;
  const staleAt = p.lastBeatAt + freshForMs(config) + 1;
  const offlineAt = p.lastBeatAt + config.offlineAfterSeconds * 1000;
  const told = p.reported?.at ?? -Infinity;
  for (const at of [Math.min(staleAt, offlineAt), Math.max(staleAt, offlineAt)]) {
    if (at > told && dueReport(p, at, config)) return at;
  }
  return null;
}
