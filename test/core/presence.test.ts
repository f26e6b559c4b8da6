import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  afterBeat,
  afterTime,
  initialPresence,
  markReported,
  nextPresenceDeadline,
  restoresStatus,
  type Presence,
  type PresenceConfig,
} from "../../worker/core/presence.ts";
import type { AgentStatus } from "../../worker/core/agent-status.ts";
import type { PresenceFacts } from "../../worker/core/readiness.ts";

const config = { heartbeatIntervalSeconds: 30, offlineAfterSeconds: 90, heartbeatEnabled: true };
const T = 1_800_000_000_000;

/** A beat that the queue acknowledged. */
function beat(p: Presence, now: number, device = true, cfg: PresenceConfig = config): Presence {
  const { next, report } = afterBeat(p, device, now, cfg);
  return report ? markReported(next, report) : next;
}

/** The queue's half as it told presence. */
const queueSaid = (p: Presence, status: AgentStatus): Presence => ({ ...p, queue: { status, activeCalls: 0, maxCalls: 1, at: 0 } });

/**
 * Silence after the last beat, driven as AgentPresence does: an alarm at each deadline, its
 * report acknowledged, until no deadline is left (or `until`). The reports, in order.
 */
function alarmsUntil(p: Presence, cfg: PresenceConfig, until = Infinity): { p: Presence; reports: PresenceFacts[] } {
  const reports: PresenceFacts[] = [];
  for (let at = nextPresenceDeadline(p, cfg); at !== null && at <= until; at = nextPresenceDeadline(p, cfg)) {
    // Silence turns a beat stale, then offline: two reports at most, each due when its alarm fires.
    expect(reports.length, "more alarms than silence has changes").toBeLessThan(2);
    const report = afterTime(p, at, cfg);
    expect(report, `an alarm at ${at - (p.lastBeatAt ?? 0)} ms with nothing to report`).not.toBeNull();
    reports.push(report!);
    p = markReported(p, report!);
  }
  return { p, reports };
}

describe("presence", () => {
  it("reports the first beat, then nothing while beats keep coming", () => {
    const first = afterBeat(initialPresence(), true, T, config);
    expect(first.report).toEqual({ lastBeatAt: T, deviceConnected: true, fresh: true, offline: false, at: T });
    const p = markReported(first.next, first.report!);
    expect(afterBeat(p, true, T + 30_000, config).report).toBeNull();
  });

  it("reports a device change", () => {
    const p = beat(initialPresence(), T);
    expect(afterBeat(p, false, T + 30_000, config).report).toMatchObject({ deviceConnected: false });
  });

  it("reports the same change again until the queue acknowledges it", () => {
    const { next } = afterBeat(initialPresence(), true, T, config);
    expect(afterBeat(next, true, T + 30_000, config).report).not.toBeNull();
  });

  it("turns stale after one and a half intervals, then offline, each report the whole record with its time", () => {
    const p = beat(beat(initialPresence(), T - 30_000), T);
    expect(nextPresenceDeadline(p, config)).toBe(T + 45_001);
    expect(afterTime(p, T + 45_000, config)).toBeNull();
    const stale = afterTime(p, T + 45_001, config);
    // The latest beat, not the first of the streak: the queue's decay and last_heartbeat need it.
    expect(stale).toEqual({ lastBeatAt: T, deviceConnected: true, fresh: false, offline: false, at: T + 45_001 });
    const quiet = markReported(p, stale!);
    expect(nextPresenceDeadline(quiet, config)).toBe(T + 90_000);
    const offline = afterTime(quiet, T + 90_000, config);
    expect(offline).toEqual({ lastBeatAt: T, deviceConnected: false, fresh: false, offline: true, at: T + 90_000 });
    const gone = markReported(quiet, offline!);
    expect(nextPresenceDeadline(gone, config)).toBeNull();
    expect(afterBeat(gone, true, T + 100_000, config).report).toMatchObject({ fresh: true, offline: false, lastBeatAt: T + 100_000 });
  });

  it("goes offline at OFFLINE_AFTER_SECONDS when that comes before the fresh window ends", () => {
    const short = { heartbeatIntervalSeconds: 30, offlineAfterSeconds: 4, heartbeatEnabled: true };
    const p = beat(initialPresence(), T, true, short);
    expect(nextPresenceDeadline(p, short)).toBe(T + 4_000);
    expect(afterTime(p, T + 4_000, short)).toMatchObject({ offline: true, fresh: false, at: T + 4_000 });
    expect(alarmsUntil(p, short).reports).toHaveLength(1);
  });

  it("keeps the later of two acknowledged records when acknowledgements cross", () => {
    const p = beat(initialPresence(), T);
    const stale = afterTime(p, T + 45_001, config)!;
    expect(markReported(markReported(p, stale), p.reported!).reported).toEqual(stale);
  });

  it("restores only an offline caused by silence", () => {
    const silent = queueSaid(alarmsUntil(beat(initialPresence(), T), config).p, "offline");
    expect(restoresStatus(silent, "online")).toBe(true);
    expect(restoresStatus(silent, "offline")).toBe(false);
    expect(restoresStatus(silent, undefined)).toBe(false);
    const chose = queueSaid(beat(initialPresence(), T), "offline");
    expect(restoresStatus(chose, "online")).toBe(false);
    const paused = queueSaid(beat(initialPresence(), T), "away");
    expect(restoresStatus(paused, "online")).toBe(false);
  });

  it("does nothing over time with heartbeats switched off", () => {
    const off = { ...config, heartbeatEnabled: false };
    const p = beat(initialPresence(), T, true, off);
    expect(afterTime(p, T + 10 * 60_000, off)).toBeNull();
    expect(nextPresenceDeadline(p, off)).toBeNull();
  });

  it("always has a deadline after a beat, and it is in the future", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 200_000 }), fc.boolean()), { maxLength: 30 }), (beats) => {
        let p = initialPresence();
        let now = T;
        for (const [gap, device] of beats) {
          now += gap;
          const report = afterTime(p, now, config);
          if (report) p = markReported(p, report);
          p = beat(p, now, device);
          const deadline = nextPresenceDeadline(p, config);
          expect(deadline).not.toBeNull();
          expect(deadline!).toBeGreaterThan(now);
        }
      }),
    );
  });

  it("reports offline within OFFLINE_AFTER_SECONDS + 1 s of the last beat, whatever the configuration", () => {
    const configs = fc.record({
      heartbeatIntervalSeconds: fc.integer({ min: 1, max: 120 }),
      offlineAfterSeconds: fc.integer({ min: 1, max: 300 }),
      heartbeatEnabled: fc.constant(true),
    });
    const beats = fc.array(fc.tuple(fc.integer({ min: 0, max: 400_000 }), fc.boolean()), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(configs, beats, (cfg, gaps) => {
        // The object: the alarm fires at each deadline before the next beat, then the beat.
        let p = initialPresence();
        let now = T;
        const check = (lastBeat: number, reports: PresenceFacts[]) => {
          const offline = reports.find((r) => r.offline);
          expect(offline, "went silent without an offline report").toBeDefined();
          expect(offline!.at - lastBeat).toBeLessThanOrEqual(cfg.offlineAfterSeconds * 1000 + 1000);
          expect(reports.filter((r) => !r.offline).every((r) => !r.fresh && r.lastBeatAt === lastBeat)).toBe(true);
        };
        for (const [gap, device] of gaps) {
          const silence = alarmsUntil(p, cfg, now + gap);
          if (p.lastBeatAt !== null && gap >= cfg.offlineAfterSeconds * 1000) check(p.lastBeatAt, silence.reports);
          now += gap;
          p = beat(silence.p, now, device, cfg);
        }
        check(p.lastBeatAt!, alarmsUntil(p, cfg).reports);
      }),
      { numRuns: 300 },
    );
  });
});
