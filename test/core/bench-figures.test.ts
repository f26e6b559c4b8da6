// The bench's arithmetic (bench/lib, bench/scenarios/context.ts): how samples become the
// figures in bench/results/latest.json. No timing here; the bench itself is not part of npm test.
import { describe, expect, it } from "vitest";
import { parseOptions, UsageError } from "../../bench/lib/options.ts";
import { percentile, ratio, summarize } from "../../bench/lib/stats.ts";
import { joinDeliveries, joinOffers } from "../../bench/scenarios/context.ts";

const sent = (key: string, sentAt: number, status = 201) => ({ key, sentAt, doneAt: sentAt + 1, status });

describe("bench figures", () => {
  it("take nearest-rank percentiles and summarize to p50/p95/p99/max", () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(Float64Array.from(samples).sort(), 99)).toBe(99);
    expect(summarize(samples)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(summarize([])).toBeNull();
    expect(ratio(3, 0)).toBeNull();
    expect(ratio(151, 5.4)).toBe(27.96);
  });

  it("join each enqueue with its first offer, count the never-offered as lost and second offers as duplicates", () => {
    const joined = joinOffers(
      [sent("v1", 1000), sent("v2", 1000), sent("v3", 1000), sent("v4", 1000, 500)],
      [
        { key: "v1", callId: "c1", at: 1005 },
        { key: "v2", callId: "c2", at: 1030 },
        { key: "v2", callId: "c2", at: 1010 },
      ],
    );
    expect(joined.latency.sort((a, b) => a - b)).toEqual([5, 10]);
    // v3 was queued and never offered; v4's enqueue failed, so it is not lost but failed.
    expect(joined.lost).toBe(1);
    expect(joined.duplicates).toBe(1);
  });

  it("count a delivery lost for every socket that missed an event", () => {
    const report = (sockets: number, arrivals: Record<string, number[]>) => ({
      sockets,
      dropped: 0,
      frames: {},
      arrivals: new Map(Object.entries(arrivals).map(([k, v]) => [k, Float64Array.from(v)])),
    });
    const joined = joinDeliveries(
      [
        { key: "v1:call_updated", sentAt: 100 },
        { key: "v1:call_ended", sentAt: 200 },
      ],
      [report(2, { "v1:call_updated": [110, 120], "v1:call_ended": [205] }), report(1, { "v1:call_updated": [150] })],
    );
    expect(joined.latency.sort((a, b) => a - b)).toEqual([5, 10, 20, 50]);
    expect(joined.delivered).toBe(4);
    expect(joined.lost).toBe(2);
  });

  it("default to issue 9's sizes and take sizes as flags", () => {
    const defaults = parseOptions([]);
    expect(defaults.agents).toBe(500);
    expect(defaults.rates).toEqual([25, 50, 100]);
    expect(defaults.dashboards).toBe(1000);
    expect(defaults.events).toBe(50);
    expect(defaults.costDashboards).toEqual([0, 100, 1000]);
    expect(defaults.deep.depth).toBe(50_000);
    expect(defaults.anchorRecords).toBe(10_000);
    expect(defaults.runners).toEqual(["direct", "wrangler"]);
    const small = parseOptions(["--only", "dispatch,fanout", "--agents", "50", "--rate", "10", "--seconds", "5", "--no-peers"]);
    expect(small).toMatchObject({ only: ["dispatch", "fanout"], agents: 50, rates: [10], seconds: 5, peers: false });
    expect(() => parseOptions(["--only", "dispatchh"])).toThrow(UsageError);
    expect(() => parseOptions(["--agents", "many"])).toThrow(UsageError);
  });
});
