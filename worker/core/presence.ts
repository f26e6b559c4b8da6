// Heartbeat presence of one agent (seed 004): what a beat or the passing of time changes,
// and which of those changes the queue must hear. Beats are frequent; the queue hears only
// transitions (fresh ↔ stale, device on ↔ off, offline), so it is not woken every 30 s.
import { isHeartbeatFresh, readinessScore, type ReadinessConfig } from "./readiness.ts";

export type QueueSnapshot = { status: "online" | "offline" | "busy" | "away"; activeCalls: number; maxCalls: number };

export type Presence = {
  lastBeatAt: number | null;
  deviceConnected: boolean;
  /** What the queue was last told. */
  reportedFresh: boolean;
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
  reportedOffline: false,
  beatsToday: 0,
  queue: { status: "offline", activeCalls: 0, maxCalls: 1 },
});

export type PresenceConfig = ReadinessConfig & { heartbeatEnabled: boolean };

const ageSeconds = (p: Presence, now: number) => (p.lastBeatAt === null ? null : (now - p.lastBeatAt) / 1000);

/** A beat: always fresh afterwards; reports only what the queue does not know yet. */
export function afterBeat(p: Presence, deviceConnected: boolean, now: number): { next: Presence; report: PresenceReport | null } {
  const next = { ...p, lastBeatAt: now, deviceConnected, beatsToday: p.beatsToday + 1, reportedFresh: true, reportedOffline: false };
  const changed = !p.reportedFresh || p.deviceConnected !== deviceConnected || p.reportedOffline;
  return { next, report: changed ? { heartbeatFresh: true, deviceConnected, lastHeartbeatAt: now } : null };
}

/** The passing of time: a late heartbeat turns stale, a long-missing one means offline. */
export function afterTime(p: Presence, now: number, config: PresenceConfig): { next: Presence; report: PresenceReport | null } {
  const age = ageSeconds(p, now);
  if (!config.heartbeatEnabled || age === null) return { next: p, report: null };
  if (age >= config.offlineAfterSeconds && !p.reportedOffline) {
    return { next: { ...p, reportedFresh: false, reportedOffline: true }, report: { wentOffline: true } };
  }
  if (!isHeartbeatFresh(age, config) && p.reportedFresh) {
    return { next: { ...p, reportedFresh: false }, report: { heartbeatFresh: false } };
  }
  return { next: p, report: null };
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
    { status: p.queue.status, heartbeatAgeSeconds: ageSeconds(p, now), deviceConnected: p.deviceConnected, activeCalls: p.queue.activeCalls, maxCalls: p.queue.maxCalls },
    config,
  );
}
