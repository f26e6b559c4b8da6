// Dashboard metrics compared exactly with values computed by hand from a scripted set of
// calls: accepted fast, accepted slow, each decision, abandoned, cancelled, still waiting,
// offers rejected and expired, and a call outside the period.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { hourKey } from "../../../worker/core/metrics.ts";
import { callJson } from "../support/api.ts";
import { newTenant, type TestTenant } from "../support/tenant.ts";

type ScriptedCall = {
  ago: number; // seconds before now the call joined the queue
  status: string;
  wait?: number; // seconds until an agent took it
  duration?: number;
  decision?: string;
  endReason?: string;
  agent?: number;
};

async function script(t: TestTenant, now: number, calls: ScriptedCall[], offers: Array<{ call: number; agent: number; outcome: string }>) {
  const ids = calls.map(() => crypto.randomUUID());
  await env.DB.batch(
    calls.map((c, i) => {
      const created = now - c.ago * 1000;
      const assigned = c.wait === undefined ? null : created + c.wait * 1000;
      return env.DB.prepare(
        `INSERT INTO video_calls (id, tenant_id, verification_id, customer_id, user_name, agent_id, status, priority, initial_priority, created_at, assigned_at, wait_seconds, duration_seconds, decision, end_reason, updated_at)
         VALUES (?, ?, ?, ?, 'Scripted', ?, ?, 'normal', 'normal', ?, ?, ?, ?, ?, ?, ?)`,
      ).bind(
        ids[i]!,
        t.id,
        `v-${ids[i]}`,
        t.customers[0]!.id,
        c.agent === undefined ? null : t.agents[c.agent]!.id,
        c.status,
        created,
        assigned,
        c.wait ?? null,
        c.duration ?? null,
        c.decision ?? null,
        c.endReason ?? null,
        now,
      );
    }),
  );
  await env.DB.batch(
    offers.map((o, i) =>
      env.DB.prepare(
        "INSERT INTO call_offers (id, tenant_id, call_id, agent_id, offered_at, outcome, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ).bind(`o-${i}-${ids[o.call]}`, t.id, ids[o.call]!, t.agents[o.agent]!.id, now - 60_000, o.outcome, now - 50_000),
    ),
  );
  return ids;
}

const SCRIPT: ScriptedCall[] = [
  { ago: 600, status: "completed", wait: 10, duration: 300, decision: "approved", agent: 0 }, // accepted fast
  { ago: 900, status: "completed", wait: 120, duration: 200, decision: "rejected", agent: 1 }, // accepted slow
  { ago: 500, status: "completed", wait: 30, duration: 100, decision: "needs_review", agent: 0 },
  { ago: 400, status: "cancelled", endReason: "customer_cancelled" }, // the customer gave up waiting
  { ago: 3000, status: "abandoned", wait: 50, endReason: "timeout", agent: 1 }, // left open too long
  { ago: 300, status: "cancelled", endReason: "staff_cancelled" },
  { ago: 120, status: "pending" }, // waiting past the 60 s target
  { ago: 10, status: "pending" }, // waiting, still within target
  { ago: 30 * 3600, status: "completed", wait: 5, duration: 60, decision: "approved", agent: 0 }, // outside 24 h
];
const OFFERS = [
  { call: 0, agent: 0, outcome: "accepted" },
  { call: 1, agent: 0, outcome: "rejected" },
  { call: 1, agent: 2, outcome: "expired" },
  { call: 1, agent: 1, outcome: "accepted" },
];

describe("dashboard metrics", () => {
  it("match the figures worked out by hand for a scripted set of calls", async () => {
    const t = await newTenant({ agents: 3, customers: 1 });
    await script(t, Date.now(), SCRIPT, OFFERS);
    const { status, body } = await callJson("/dashboard/metrics?hours=24", { token: t.manager.token });
    expect(status).toBe(200);
    expect(body.metrics).toEqual({
      total_calls: 8,
      active_calls: 0,
      completed_calls: 3,
      average_duration: 200, // (300 + 200 + 100) / 3
      success_rate: 33.3, // 1 approved of 3 completed
      outcome_counts: { approved: 1, rejected: 1, needs_review: 1, cancelled: 2, abandoned: 1 },
      period_hours: 24,
      average_wait_seconds: 52.5, // (10 + 120 + 30 + 50) / 4 taken
      service_level: 42.9, // 3 taken within 60 s of 4 taken + 2 unanswered + 1 waiting past target
      service_level_seconds: 60,
      abandonment_rate: 16.7, // 1 customer left of 4 taken + 2 unanswered
      offers: { made: 4, accepted: 2, rejected: 1, expired: 1, released: 0 },
      longest_current_wait_seconds: 0,
      waiting_by_priority: { urgent: 0, high: 0, normal: 0, low: 0 },
      agents: { online: 0, available: 0, in_call: 0 },
    });
    const week = await callJson("/dashboard/metrics?hours=168", { token: t.manager.token });
    expect(week.body.metrics).toMatchObject({ total_calls: 9, completed_calls: 4, success_rate: 50, period_hours: 168 });
  });

  it("report per-agent performance, and agents see only their own", async () => {
    const t = await newTenant({ agents: 3, customers: 1 });
    await script(t, Date.now(), SCRIPT, OFFERS);
    const { body } = await callJson("/dashboard/agent-performance?hours=24", { token: t.manager.token });
    const byId = Object.fromEntries(body.agents.map((a: { agent_id: string }) => [a.agent_id, a]));
    expect(byId[t.agents[0]!.id]).toMatchObject({
      total_calls: 2,
      completed_calls: 2,
      average_duration: 200,
      success_rate: 50,
      offers_accepted: 1,
      offers_rejected: 1,
      acceptance_rate: 50,
    });
    expect(byId[t.agents[1]!.id]).toMatchObject({
      total_calls: 2,
      completed_calls: 1,
      average_duration: 200,
      success_rate: 0,
      offers_accepted: 1,
      acceptance_rate: 100,
    });
    expect(byId[t.agents[2]!.id]).toMatchObject({ total_calls: 0, offers_expired: 1, acceptance_rate: 0 });
    const own = await callJson("/dashboard/agent-performance", { token: t.agents[1]!.token });
    expect(own.status).toBe(200);
    expect(own.body.agents.map((a: { agent_id: string }) => a.agent_id)).toEqual([t.agents[1]!.id]);
  });

  it("count calls per hour for every hour of the period", async () => {
    const t = await newTenant({ agents: 3, customers: 1 });
    const now = Date.now();
    await script(t, now, SCRIPT, OFFERS);
    const { body } = await callJson("/dashboard/calls-per-hour?hours=48", { token: t.manager.token });
    expect(Object.keys(body.data)).toHaveLength(48);
    const expected: Record<string, number> = {};
    for (const c of SCRIPT) expected[hourKey(now - c.ago * 1000)] = (expected[hourKey(now - c.ago * 1000)] ?? 0) + 1;
    for (const [hour, count] of Object.entries(expected)) expect(body.data[hour], hour).toBe(count);
    expect(Object.values(body.data).reduce((a: number, b) => a + (b as number), 0)).toBe(SCRIPT.length);
  });

  it("never mixes in another tenant's calls", async () => {
    const t = await newTenant({ agents: 3, customers: 1 });
    await script(t, Date.now(), SCRIPT, OFFERS);
    const other = await newTenant({ agents: 1 });
    const { body } = await callJson("/dashboard/metrics", { token: other.manager.token });
    expect(body.metrics.total_calls).toBe(0);
    expect((await callJson("/dashboard/recent-calls", { token: other.manager.token })).body.calls).toEqual([]);
  });
});

describe("dashboard routes", () => {
  it("answer every invalid parameter with a 400 naming it", async () => {
    const t = await newTenant({ agents: 1 });
    for (const path of [
      "/dashboard/metrics?hours=0",
      "/dashboard/metrics?hours=169",
      "/dashboard/metrics?hours=2.5",
      "/dashboard/metrics?hours=day",
      "/dashboard/calls-per-hour?hours=-1",
      "/dashboard/agent-performance?hours=1000",
      "/dashboard/recent-calls?limit=0",
      "/dashboard/recent-calls?limit=101",
      "/dashboard/recent-calls?limit=x",
    ]) {
      const { status, body } = await callJson(path, { token: t.manager.token });
      expect(status, path).toBe(400);
      expect(body.error.code, path).toBe("validation_error");
      expect(Object.keys(body.error.details), path).toEqual([path.includes("limit") ? "limit" : "hours"]);
    }
  });

  it("need the analytics permission, except health", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    expect((await callJson("/dashboard/health")).body).toEqual({ status: "healthy", websocket_enabled: true });
    for (const path of ["/dashboard/metrics", "/dashboard/active-calls", "/dashboard/recent-calls", "/dashboard/calls-per-hour"]) {
      expect((await callJson(path, { token: t.agents[0]!.token })).status, path).toBe(403);
      expect((await callJson(path, { token: t.customers[0]!.token })).status, path).toBe(403);
      expect((await callJson(path, { token: t.it.token })).status, path).toBe(200);
      expect((await callJson(path)).status, path).toBe(401);
    }
    expect((await callJson("/dashboard/agent-performance", { token: t.customers[0]!.token })).status).toBe(403);
  });
});
