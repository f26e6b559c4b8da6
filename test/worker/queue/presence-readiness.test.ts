// One readiness for an agent, end to end: the heartbeat reply, the coordinator's agent view, the
// availability route and the heartbeat statistics give the same number, and name the latest beat.
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { callJson, type Json } from "../support/api.ts";
import { coordinator, makeReady, presence, queuedCall } from "../support/queue.ts";
import { newTenant, type TestTenant, type TestUser } from "../support/tenant.ts";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The agent as the coordinator itself, the availability route and the statistics show them. */
async function managerViews(t: TestTenant, agent: TestUser) {
  const [own] = await coordinator(t).availability([{ id: agent.id, name: agent.name }]);
  const route = (await callJson("/video-calls/agents/availability", { token: t.manager.token })).body.agents.find(
    (a: Json) => a.agent_id === agent.id,
  );
  const stats = (await callJson("/agents/heartbeat/stats", { token: t.manager.token })).body.agents.find(
    (a: Json) => a.agent_id === agent.id,
  );
  return { own: own!, route, stats };
}

const beat = (agent: TestUser, extra: Json = {}) =>
  callJson("/agents/heartbeat", { token: agent.token, json: { device_connected: true, ...extra } });

describe("readiness everywhere", () => {
  it("gives managers the heartbeat reply's readiness and the latest beat, through an offer, a stale period and offline", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const agent = t.agents[0]!;
    await makeReady(agent);
    const first = (await presence(t, agent).snapshot()).presence.lastBeatAt!;

    // An open offer is not load yet: the view agrees with the reply while it is open.
    const call = await queuedCall(t, t.customers[0]!);
    expect((await callJson(`/video-calls/${call.call_id}`, { token: t.manager.token })).body.offered_to).toBe(agent.id);
    // The beats of a streak need distinct times (an alarm is never awaited by sleeping).
    await new Promise((resolve) => setTimeout(resolve, 10));
    const reply = (await beat(agent)).body;
    const latest = (await presence(t, agent).snapshot()).presence.lastBeatAt!;
    expect(latest).toBeGreaterThan(first);
    let views = await managerViews(t, agent);
    expect(reply.readiness_score).toBe(100);
    expect([views.own.readiness_score, views.route.readiness_score, views.stats.readiness_score]).toEqual([100, 100, 100]);
    expect(views.route.last_heartbeat).toBe(iso(latest));

    // Silence: the stale report carries the latest beat, not the first of the streak.
    expect(await runDurableObjectAlarm(presence(t, agent))).toBe(true);
    views = await managerViews(t, agent);
    expect(views.stats.heartbeat_fresh).toBe(false);
    expect([views.own.last_heartbeat, views.route.last_heartbeat, views.stats.last_heartbeat]).toEqual([
      iso(latest),
      iso(latest),
      iso(latest),
    ]);
    expect(views.route.readiness_score).toBe(views.own.readiness_score);
    expect(views.stats.readiness_score).toBe(views.own.readiness_score);

    // Offline: status, heartbeat and device count nothing; only the free slot does.
    expect(await runDurableObjectAlarm(presence(t, agent))).toBe(true);
    views = await managerViews(t, agent);
    expect(views.own).toMatchObject({ status: "offline", readiness_score: 10, device_connected: false, last_heartbeat: iso(latest) });
    expect([views.route.readiness_score, views.stats.readiness_score]).toEqual([10, 10]);

    // Back from the gap: the reply and the views agree again.
    const back = (await beat(agent, { current_status: "online" })).body;
    expect(back).toMatchObject({ status: "online", readiness_score: 100 });
    views = await managerViews(t, agent);
    expect([views.own.readiness_score, views.route.readiness_score, views.stats.readiness_score]).toEqual([100, 100, 100]);
  });
});
