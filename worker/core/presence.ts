// Heartbeat presence of one agent (seed 004): what a beat or the passing of time changes,
// and which of those changes the queue must hear. Beats are frequent; the queue hears only
// transitions (fresh ↔ stale, device on ↔ off, offline), so it is not woken every 30 s. A
// transition counts as told only once the queue has acknowledged it (markReported), so a
// report that failed is sent again by the next beat or alarm.
import type { AgentStatus } from "./agent-status.ts";
import { isHeartbeatFresh, readinessScore, type ReadinessConfig } from "./readiness.ts";

export type QueueSnapshot = { status: AgentStatus; activeCalls: number; maxCalls: number };

export type Presence = {
  lastBeatAt: number | null;
  deviceConnected: boolean;
  /** What the queue has acknowledged. */
  reportedFresh: boolean;
  reportedDevice: boolean;
  reportedOffline: boolean;
  beatsToday: number;
  queue: QueueSnapshot;
};

export type PresenceReport = {
  heartbeatFresh?: boolean;
  deviceConnected?: boolean;
  lastHeartbeatAt?: number;
  wentOffline?: boolean;
};

export const initialPresence = (): Presence => ({
  lastBeatAt: null,
  deviceConnected: false,
  reportedFresh: false,
  reportedDevice: false,
  reportedOffline: false,
  beatsToday: 0,
  queue: { status: "offline", activeCalls: 0, maxCalls: 1 },
});

export type PresenceConfig = ReadinessConfig & { heartbeatEnabled: boolean };

const ageSeconds = (p: Presence, now: number) => (p.lastBeatAt === null ? null : (now - p.lastBeatAt) / 1000);

/** A beat: the agent is fresh; the report says what the queue does not know yet. */
export function afterBeat(p: Presence, deviceConnected: boolean, now: number): { next: Presence; report: PresenceReport | null } {
  const next = { ...p, lastBeatAt: now, deviceConnected, beatsToday: p.beatsToday + 1 };
  const changed = !p.reportedFresh || p.reportedDevice !== deviceConnected || p.reportedOffline;
  return { next, report: changed ? { heartbeatFresh: true, deviceConnected, lastHeartbeatAt: now } : null };
}

/** The passing of time: a late heartbeat turns stale, a long-missing one means offline. */
export function afterTime(p: Presence, now: number, config: PresenceConfig): PresenceReport | null {
  const age = ageSeconds(p, now);
  if (!config.heartbeatEnabled || age === null) return null;
  if (age >= config.offlineAfterSeconds && !p.reportedOffline) return { wentOffline: true };
  if (!isHeartbeatFresh(age, config) && p.reportedFresh) return { heartbeatFresh: false };
  return null;
}

/** The presence once the queue acknowledged `report`. */
export function markReported(p: Presence, report: PresenceReport): Presence {
  if (report.wentOffline) return { ...p, reportedFresh: false, reportedDevice: false, reportedOffline: true };
  return {
    ...p,
    reportedFresh: report.heartbeatFresh ?? p.reportedFresh,
    reportedDevice: report.deviceConnected ?? p.reportedDevice,
    reportedOffline: report.heartbeatFresh ? false : p.reportedOffline,
  };
}

/**
 * Whether a beat from a dashboard that believes it is `currentStatus` should set that status
 * back: only when the agent is offline because presence reported them silent (a network gap).
 * An agent who chose offline, or whom the queue paused, keeps that status.
 */
export function restoresStatus(p: Presence, currentStatus: QueueSnapshot["status"] | undefined): boolean {
  return currentStatus !== undefined && currentStatus !== "offline" && p.queue.status === "offline" && p.reportedOffline;
}

/** When `afterTime` will next have something to do, or null. */
export function nextPresenceDeadline(p: Presence, config: PresenceConfig): number | null {
  if (!config.heartbeatEnabled || p.lastBeatAt === null || p.reportedOffline) return null;
  if (p.reportedFresh) return p.lastBeatAt + config.heartbeatIntervalSeconds * 1.5 * 1000 + 1;
  return p.lastBeatAt + config.offlineAfterSeconds * 1000;
}

/** The 0..100 readiness of this agent now. */
export function presenceReadiness(p: Presence, now: number, config: ReadinessConfig): number {
  return readinessScore(
    {
      status: p.queue.status,
      heartbeatAgeSeconds: ageSeconds(p, now),
      deviceConnected: p.deviceConnected,
      activeCalls: p.queue.activeCalls,
      maxCalls: p.queue.maxCalls,
    },
    config,
  );
}
