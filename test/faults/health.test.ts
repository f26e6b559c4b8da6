// /api/v1/health against the local Thronos node set with real faults: a node that is down
// degrades the service and the report names it; probes are cached, so polling the route does
// not poll the nodes (counted in the node's own request log).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cachedProbe, forgetNodeProbes, NODE_PROBE_TTL_MS } from "../../worker/services/node-health.ts";
import { callJson } from "../worker/support/api.ts";
import { env } from "cloudflare:workers";
import { injectFault, requestsTo, resetNodes } from "./support/control.ts";

beforeEach(async () => {
  await resetNodes();
  forgetNodeProbes();
});

afterEach(async () => {
  await resetNodes();
  forgetNodeProbes();
});

const health = async () => {
  const { status, body } = await callJson("/health");
  expect(status).toBe(200);
  return body;
};

describe("health with every node up", () => {
  it("is ok with every check ok and says how old each node probe is", async () => {
    const body = await health();
    expect(body.status).toBe("ok");
    expect(body.degraded_by).toEqual([]);
    for (const name of ["thronos_master", "thronos_replica", "ai_core"]) {
      // After a reset the replica's chain is empty, so it answers "syncing" (THRONOS.md).
      expect(body.checks[name].status).toBe(name === "thronos_replica" ? "degraded" : "ok");
      expect(Date.parse(body.checks[name].checked_at)).not.toBeNaN();
      expect(body.checks[name].age_ms).toBeGreaterThanOrEqual(0);
    }
  });
});

describe("health with a node down", () => {
  it.each([
    ["the master refuses connections", { node: "master" as const, mode: "refuse" as const }, "thronos_master", "down"],
    ["the master answers 503", { node: "master" as const, mode: "error" as const, status: 503 }, "thronos_master", "down"],
    ["the replica answers 503", { node: "replica" as const, mode: "error" as const, status: 503 }, "thronos_replica", "down"],
    [
      "the AI core is slower than the probe's timeout",
      { node: "ai_core" as const, mode: "slow" as const, delay_ms: 4000 },
      "ai_core",
      "down",
    ],
  ])("is degraded and names the node when %s", async (_what, fault, check, checkStatus) => {
    await injectFault(fault);
    const body = await health();
    expect(body.status).toBe("degraded");
    expect(body.degraded_by).toEqual([check]);
    expect(body.checks[check].status).toBe(checkStatus);
    expect(body.checks.d1.status).toBe("ok");
  });

  it("stays ok while the replica is syncing (reads go to the master) and says so in its check", async () => {
    await injectFault({ node: "replica", mode: "syncing" });
    const body = await health();
    expect(body.status).toBe("ok");
    expect(body.checks.thronos_replica).toMatchObject({ status: "degraded", detail: "syncing" });
  });

  it("turns ok again once the node is back and the cached probe has expired", async () => {
    await injectFault({ node: "master", mode: "refuse" });
    expect((await health()).degraded_by).toEqual(["thronos_master"]);
    await injectFault({ node: "master", mode: "ok" });
    forgetNodeProbes();
    expect((await health()).status).toBe("ok");
  });
});

describe("health's probe cache", () => {
  it("probes each node once for two health requests within the TTL (counted on the local node)", async () => {
    const first = await health();
    const second = await health();
    const probes = await requestsTo("/health");
    expect(probes.filter((p) => p.node === "master")).toHaveLength(1);
    expect(probes.filter((p) => p.node === "replica")).toHaveLength(1);
    expect(probes.filter((p) => p.node === "ai_core")).toHaveLength(1);
    // The second answer is the first probe, and says so.
    expect(second.checks.thronos_master.checked_at).toBe(first.checks.thronos_master.checked_at);
    expect(second.checks.thronos_master.age_ms).toBeGreaterThanOrEqual(first.checks.thronos_master.age_ms);
  });

  it("keeps reporting a node down from the cache, without probing it again, until the TTL passes", async () => {
    await injectFault({ node: "master", mode: "error", status: 503 });
    await health();
    await injectFault({ node: "master", mode: "ok" });
    expect((await health()).checks.thronos_master.status).toBe("down");
    expect((await requestsTo("/health")).filter((p) => p.node === "master")).toEqual([{ node: "master", status: 503 }]);
  });

  it("probes again once the TTL has passed", async () => {
    const start = Date.now();
    const fresh = await cachedProbe(env.THRONOS_MASTER_URL, {}, start);
    const cached = await cachedProbe(env.THRONOS_MASTER_URL, {}, start + NODE_PROBE_TTL_MS - 1);
    const expired = await cachedProbe(env.THRONOS_MASTER_URL, {}, start + NODE_PROBE_TTL_MS + Date.now() - start);
    expect(cached.checked_at).toBe(fresh.checked_at);
    expect(cached.age_ms).toBeGreaterThan(0);
    expect(expired.checked_at).not.toBe(fresh.checked_at);
    expect((await requestsTo("/health")).filter((p) => p.node === "master")).toHaveLength(2);
  });
});
