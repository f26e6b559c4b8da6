import { describe, expect, it } from "vitest";
import { escalate, levelOf, requestedCallPriority, wordOf } from "../../worker/core/priority.ts";

describe("priorities", () => {
  it("order urgent > high > normal > low and escalate one level at most to urgent", () => {
    expect(["low", "normal", "high", "urgent"].map((w) => levelOf(w as "low"))).toEqual([0, 1, 2, 3]);
    expect([0, 1, 2, 3].map((l) => wordOf(escalate(l as 0)))).toEqual(["normal", "high", "urgent", "urgent"]);
  });

  it("make a customer's own request urgent and refuse them any other priority", () => {
    expect(requestedCallPriority({ customer: true, scored: "low" })).toBe("urgent");
    expect(requestedCallPriority({ customer: true, requested: "urgent", scored: null })).toBe("urgent");
    expect(requestedCallPriority({ customer: true, requested: "low", scored: null })).toBeNull();
  });

  it("let staff choose, else keep the scored priority, else normal", () => {
    expect(requestedCallPriority({ customer: false, requested: "low", scored: "high" })).toBe("low");
    expect(requestedCallPriority({ customer: false, scored: "high" })).toBe("high");
    expect(requestedCallPriority({ customer: false, scored: null })).toBe("normal");
  });
});
