import { describe, expect, it } from "vitest";
import { backlogCheck, overallHealth } from "../../worker/core/health.ts";

describe("overall health", () => {
  it("is ok when every check is ok or not configured", () => {
    expect(overallHealth({ d1: { status: "ok" }, ai_core: { status: "not_configured" } })).toEqual({ status: "ok", degraded_by: [] });
  });

  it("is degraded by every check that is down or degraded, named in check order", () => {
    const checks = {
      d1: { status: "ok" },
      thronos_master: { status: "down" },
      ai_core: { status: "down" },
      audit_backlog: { status: "degraded" },
    };
    expect(overallHealth(checks)).toEqual({ status: "degraded", degraded_by: ["thronos_master", "ai_core", "audit_backlog"] });
  });

  it("tolerates a syncing replica (reads go to the master) but not a replica that is down", () => {
    expect(overallHealth({ thronos_replica: { status: "degraded" } }).status).toBe("ok");
    expect(overallHealth({ thronos_replica: { status: "down" } }).degraded_by).toEqual(["thronos_replica"]);
    expect(overallHealth({ thronos_master: { status: "degraded" } }).degraded_by).toEqual(["thronos_master"]);
  });

  it("counts a pipeline check it could not measure as degraded", () => {
    expect(overallHealth({ dead_letters: { status: "unknown" } }).status).toBe("degraded");
  });
});

describe("backlog check", () => {
  it("is degraded by one waiting item and reports since when, with its threshold", () => {
    expect(backlogCheck({ count: 2, oldestAt: Date.UTC(2026, 0, 1) }, 5 * 60_000)).toEqual({
      status: "degraded",
      count: 2,
      oldest_at: "2026-01-01T00:00:00.000Z",
      older_than_minutes: 5,
    });
  });

  it("is ok with nothing waiting", () => {
    expect(backlogCheck({ count: 0, oldestAt: null })).toEqual({ status: "ok", count: 0 });
  });
});
