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
} from "../../worker/core/presence.ts";

const config = { heartbeatIntervalSeconds: 30, offlineAfterSeconds: 90, heartbeatEnabled: true };
const T = 1_800_000_000_000;

/** A beat that the queue acknowledged. */
function beat(p: Presence, now: number, device = true): Presence {
  const { next, report } = afterBeat(p, device, now);
  return report ? markReported(next, report) : next;
}

describe("presence", () => {
  it("reports the first beat, then nothing while beats keep coming", () => {
    const first = afterBeat(initialPresence(), true, T);
    expect(first.report).toEqual({ heartbeatFresh: true, deviceConnected: true, lastHeartbeatAt: T });
    const p = markReported(first.next, first.report!);
    expect(afterBeat(p, true, T + 30_000).report).toBeNull();
  });

  it("reports a device change", () => {
    const p = beat(initialPresence(), T);
    expect(afterBeat(p, false, T + 30_000).report).toMatchObject({ deviceConnected: false });
  });

  it("reports the same change again until the queue acknowledges it", () => {
    const { next } = afterBeat(initialPresence(), true, T);
    expect(afterBeat(next, true, T + 30_000).report).not.toBeNull();
  });

  it("turns stale after one and a half intervals, then offline", () => {
    const p = beat(initialPresence(), T);
    expect(nextPresenceDeadline(p, config)).toBe(T + 45_001);
    expect(afterTime(p, T + 45_000, config)).toBeNull();
    const stale = afterTime(p, T + 45_001, config);
    expect(stale).toEqual({ heartbeatFresh: false });
    const quiet = markReported(p, stale!);
    expect(nextPresenceDeadline(quiet, config)).toBe(T + 90_000);
    expect(afterTime(quiet, T + 90_000, config)).toEqual({ wentOffline: true });
    const gone = markReported(quiet, { wentOffline: true });
    expect(nextPresenceDeadline(gone, config)).toBeNull();
    expect(afterBeat(gone, true, T + 100_000).report).toMatchObject({ heartbeatFresh: true });
  });

  it("restores only an offline caused by silence", () => {
    const silent = {
      ...markReported(beat(initialPresence(), T), { wentOffline: true }),
      queue: { status: "offline" as const, activeCalls: 0, maxCalls: 1 },
    };
    expect(restoresStatus(silent, "online")).toBe(true);
    expect(restoresStatus(silent, "offline")).toBe(false);
    expect(restoresStatus(silent, undefined)).toBe(false);
    const chose = { ...beat(initialPresence(), T), queue: { status: "offline" as const, activeCalls: 0, maxCalls: 1 } };
    expect(restoresStatus(chose, "online")).toBe(false);
    const paused = { ...beat(initialPresence(), T), queue: { status: "away" as const, activeCalls: 0, maxCalls: 1 } };
    expect(restoresStatus(paused, "online")).toBe(false);
  });

  it("does nothing over time with heartbeats switched off", () => {
    const p = beat(initialPresence(), T);
    const off = { ...config, heartbeatEnabled: false };
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
});
