import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planAnchor } from "../../../worker/audit/anchoring.ts";
import { retryDelaySeconds } from "../../../worker/audit/backoff.ts";

const config = { intervalSeconds: 10, maxBatch: 1000 };
const T = 1_800_000_000_000;

describe("planAnchor", () => {
  it("anchors the first checkpoint at once", () => {
    expect(planAnchor({ treeSize: 1, requestedSize: 0, requestedAt: null }, T, config)).toEqual({ anchorNow: true, nextCheckAt: null });
  });

  it("waits out the interval after an anchor, then anchors", () => {
    const state = { treeSize: 50, requestedSize: 10, requestedAt: T };
    expect(planAnchor(state, T + 3000, config)).toEqual({ anchorNow: false, nextCheckAt: T + 10_000 });
    expect(planAnchor(state, T + 10_000, config)).toEqual({ anchorNow: true, nextCheckAt: null });
  });

  it("anchors at once when ANCHOR_MAX_BATCH records wait", () => {
    expect(planAnchor({ treeSize: 1010, requestedSize: 10, requestedAt: T }, T + 1, config).anchorNow).toBe(true);
  });

  it("does nothing when everything is anchored", () => {
    expect(planAnchor({ treeSize: 10, requestedSize: 10, requestedAt: T }, T + 60_000, config)).toEqual({
      anchorNow: false,
      nextCheckAt: null,
    });
  });

  it("costs one node call for a thousand records arriving within one interval", () => {
    let requested = { size: 0, at: null as number | null };
    let calls = 0;
    for (let size = 1; size <= 1000; size++) {
      const plan = planAnchor({ treeSize: size, requestedSize: requested.size, requestedAt: requested.at }, T + size, config);
      if (plan.anchorNow) {
        calls++;
        requested = { size, at: T + size };
      }
    }
    // The first record anchors at once; the other 999 wait for the interval's single anchor.
    expect(calls).toBe(1);
  });
});

describe("retryDelaySeconds", () => {
  it("grows with each attempt and stays within five minutes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, random) => {
        const delay = retryDelaySeconds(attempt, random);
        expect(delay).toBeGreaterThanOrEqual(1);
        expect(delay).toBeLessThanOrEqual(375);
        expect(retryDelaySeconds(attempt + 1, 0.5)).toBeGreaterThanOrEqual(retryDelaySeconds(attempt, 0.5));
      }),
    );
  });
});
