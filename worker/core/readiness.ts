// Agent readiness (seed 004): whether an agent can be offered a call now, and a 0..100 score
// for dashboards and heartbeat replies. Pure: presence facts in, verdict out.

import type { AgentStatus } from "./agent-status.ts";

export type ReadinessInput = {
  status: AgentStatus;
  /** Seconds since the last heartbeat, or null when none was ever received. */
  heartbeatAgeSeconds: number | null;
  deviceConnected: boolean;
  activeCalls: number;
  maxCalls: number;
};

export type ReadinessConfig = {
  heartbeatIntervalSeconds: number;
  offlineAfterSeconds: number;
};

const STATUS_POINTS = { online: 40, busy: 15, away: 5, offline: 0 } as const;

/** A heartbeat counts as fresh for one and a half intervals: one late beat is tolerated. */
export function isHeartbeatFresh(ageSeconds: number | null, config: ReadinessConfig): boolean {
  return ageSeconds !== null && ageSeconds <= config.heartbeatIntervalSeconds * 1.5;
}

/** 0..100: status 40, heartbeat freshness 30 (decaying until the offline threshold), device 20, spare capacity 10. */
export function readinessScore(input: ReadinessInput, config: ReadinessConfig): number {
  let heartbeat = 0;
  if (input.heartbeatAgeSeconds !== null) {
    if (isHeartbeatFresh(input.heartbeatAgeSeconds, config)) heartbeat = 30;
    else {
      const fresh = config.heartbeatIntervalSeconds * 1.5;
      const span = Math.max(1, config.offlineAfterSeconds - fresh);
      heartbeat = Math.max(0, 30 * (1 - (input.heartbeatAgeSeconds - fresh) / span));
    }
  }
  const spare = input.maxCalls > 0 ? Math.max(0, input.maxCalls - input.activeCalls) / input.maxCalls : 0;
  return Math.round(STATUS_POINTS[input.status] + heartbeat + (input.deviceConnected ? 20 : 0) + 10 * spare);
}
