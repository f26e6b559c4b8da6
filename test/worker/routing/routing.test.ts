// Routing by skills and language, several queues per tenant (issue 17), end to end inside
// workerd: skills and queues through their routes, requirements read off the verification,
// relaxation stepped by the coordinator's alarm (runDurableObjectAlarm, never a sleep), and the
// per-queue figures managers see.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson, type Json } from "../support/api.ts";
import { uploadDocument } from "../support/factories.ts";
import { pngBytes } from "../support/files.ts";
import { coordinator, makeReady } from "../support/queue.ts";
import { newTenant, type TestTenant, type TestUser } from "../support/tenant.ts";

async function setSkills(t: TestTenant, agent: TestUser, skills: Array<{ name: string; level: number }>) {
  const res = await callJson(`/agents/${agent.id}/skills`, { token: t.manager.token, method: "PUT", json: { skills } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** A customer's submitted verification (one passport), created with `body` (user_info, requirements). */
async function submitted(customer: TestUser, body: Json = {}) {
  const created = await callJson("/verifications", { token: customer.token, json: { user_info: { name: customer.name }, ...body } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await uploadDocument(customer.token, created.body.id, pngBytes())).status).toBe(201);
  const submit = await callJson(`/verifications/${created.body.id}/submit`, { token: customer.token, method: "POST" });
  expect(submit.status, JSON.stringify(submit.body)).toBe(200);
  return submit.body as Json;
}

const view = async (t: TestTenant, callId: string) => (await callJson(`/video-calls/${callId}`, { token: t.manager.token })).body;

async function createQueue(t: TestTenant, body: Json) {
  const res = await callJson("/queues", { token: t.manager.token, json: body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Runs the coordinator's alarm (each run is its next deadline) until `done` holds. */
async function alarmsUntil(t: TestTenant, done: () => Promise<boolean>, most = 10) {
  for (let i = 0; i < most && !(await done()); i++) await runDurableObjectAlarm(coordinator(t));
  expect(await done()).toBe(true);
}

describe("agent skills", () => {
  it("lets managers set an agent's skills, which the agent sees as their own and the agents list shows", async () => {
    const t = await newTenant({ agents: 2, customers: 0 });
    const [agent, other] = t.agents as [TestUser, TestUser];
    const saved = await setSkills(t, agent, [
      { name: "lang:de", level: 3 },
      { name: "doc:residence_permit", level: 1 },
    ]);
    expect(saved.skills).toEqual([
      { name: "doc:residence_permit", level: 1 },
      { name: "lang:de", level: 3 },
    ]);
    const own = await callJson(`/agents/${agent.id}/skills`, { token: agent.token });
    expect(own.body.skills).toEqual(saved.skills);
    expect((await callJson(`/agents/${agent.id}/skills`, { token: other.token })).status).toBe(403);
    const list = await callJson("/video-calls/agents/availability", { token: t.manager.token });
    expect(list.body.agents.find((a: Json) => a.agent_id === agent.id).skills).toEqual({ "lang:de": 3, "doc:residence_permit": 1 });
  });

  it("refuses bad skills (400), agents setting skills (403) and anyone who is not an agent of the tenant (404)", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const agent = t.agents[0]!;
    const bad = await callJson(`/agents/${agent.id}/skills`, {
      token: t.manager.token,
      method: "PUT",
      json: { skills: [{ name: "German", level: 9 }] },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.details)).toEqual(expect.arrayContaining(["skills.0.name", "skills.0.level"]));
    const self = await callJson(`/agents/${agent.id}/skills`, { token: agent.token, method: "PUT", json: { skills: [] } });
    expect(self.status).toBe(403);
    const customer = await callJson(`/agents/${t.customers[0]!.id}/skills`, {
      token: t.manager.token,
      method: "PUT",
      json: { skills: [] },
    });
    expect(customer.status).toBe(404);
    const elsewhere = await newTenant({ agents: 0, customers: 0 });
    expect(
      (await callJson(`/agents/${agent.id}/skills`, { token: elsewhere.manager.token, method: "PUT", json: { skills: [] } })).status,
    ).toBe(404);
  });
});

describe("requirements", () => {
  it("offers a German-speaking customer to the German-speaking agent while the English-only agent stays idle", async () => {
    const t = await newTenant({ agents: 2, customers: 1 });
    const [english, german] = t.agents as [TestUser, TestUser];
    await setSkills(t, english, [{ name: "lang:en", level: 3 }]);
    await setSkills(t, german, [
      { name: "lang:de", level: 2 },
      { name: "lang:en", level: 1 },
    ]);
    await makeReady(english);
    await makeReady(german);
    const call = await submitted(t.customers[0]!, { user_info: { name: "Jana Fischer", language: "de-AT" } });
    const seen = await view(t, call.call_id);
    expect(seen).toMatchObject({ offered_to: german.id, routing: { requirements: [{ skill: "lang:de", level: 1 }], relax_step: 0 } });
    const idle = await callJson("/video-calls/agents/availability", { token: t.manager.token });
    expect(idle.body.agents.find((a: Json) => a.agent_id === english.id).current_calls).toBe(0);
  });

  it("requires what the client app set, and shows managers a call no online agent can meet", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const agent = t.agents[0]!;
    await setSkills(t, agent, [{ name: "doc:residence_permit", level: 1 }]);
    await makeReady(agent);
    const call = await submitted(t.customers[0]!, { requirements: [{ skill: "doc:residence_permit", level: 3 }] });
    const pending = await callJson("/video-calls/pending", { token: t.manager.token });
    const listed = pending.body.pending_calls.find((c: Json) => c.id === call.call_id);
    expect(listed.offered_to).toBeUndefined();
    expect(listed.routing).toMatchObject({ requirements: [{ skill: "doc:residence_permit", level: 3 }], unmatched: true });
    const figures = await callJson("/dashboard/queues", { token: t.manager.token });
    expect(figures.body.queues).toEqual([expect.objectContaining({ queue_id: null, waiting: 1, unmatched_call_ids: [call.call_id] })]);
    // An agent cannot take it from the list either.
    const taken = await callJson(`/video-calls/${call.call_id}/accept`, { token: agent.token, method: "POST" });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe("missing_required_skills");
  });

  it("leaves calls needing nothing when the tenant routes on no skills, as before routing", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    await makeReady(t.agents[0]!);
    const call = await submitted(t.customers[0]!, { user_info: { name: "Ana", language: "pt" } });
    const seen = await view(t, call.call_id);
    expect(seen.offered_to).toBe(t.agents[0]!.id);
    expect(seen.routing).toBeUndefined();
  });
});

describe("relaxation over time", () => {
  it("relaxes to any level, then to any agent, on the call's timeline and in its audit record", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const agent = t.agents[0]!;
    await setSkills(t, agent, [{ name: "lang:fr", level: 1 }]);
    await createQueue(t, { name: "Everyone", relax_after_seconds: 60, relax_to_any_agent: true });
    await makeReady(agent);
    const call = await submitted(t.customers[0]!, {
      requirements: [
        { skill: "lang:fr", level: 3 },
        { skill: "doc:residence_permit", level: 1 },
      ],
    });
    expect((await view(t, call.call_id)).offered_to).toBeUndefined();

    // One step: the French speaker qualifies at any level, but the residence permit still needs a trained reviewer.
    await alarmsUntil(t, async () => (await view(t, call.call_id)).routing.relax_step === 1);
    expect((await view(t, call.call_id)).offered_to).toBeUndefined();
    // The next: any agent.
    await alarmsUntil(t, async () => (await view(t, call.call_id)).routing.relax_step === 2);
    const relaxed = await view(t, call.call_id);
    expect(relaxed.offered_to).toBe(agent.id);
    const [first, second] = relaxed.routing.relaxations;
    expect([first.step, second.step]).toEqual([1, 2]);
    expect(Date.parse(second.at) - Date.parse(first.at)).toBe(60_000);

    await callJson(`/video-calls/${call.call_id}/accept`, { token: agent.token, method: "POST" });
    await callJson(`/video-calls/${call.call_id}/start`, { token: agent.token, method: "POST" });
    const done = await callJson(`/video-calls/${call.call_id}/complete`, {
      token: agent.token,
      json: { call_notes: "Checked.", verification_result: "approved", reason_code: "IDENTITY_CONFIRMED" },
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    await coordinator(t).flushOutbox();
    const row = await env.DB.prepare("SELECT data FROM audit_records WHERE id = ?")
      .bind(done.body.audit.record_id)
      .first<{ data: string }>();
    const leaf = JSON.parse(atob(row!.data));
    expect(leaf.routing).toEqual({
      queue_id: relaxed.routing.queue_id,
      requirements: [
        { skill: "lang:fr", level: 3 },
        { skill: "doc:residence_permit", level: 1 },
      ],
      relaxations: relaxed.routing.relaxations,
    });
  });
});

describe("several queues", () => {
  it("creates, lists and edits queues; sends each call to the first it matches; deletes one without losing its calls", async () => {
    const t = await newTenant({ agents: 1, customers: 2 });
    const german = await createQueue(t, { name: "German", requires: ["lang:de"], service_level_seconds: 30 });
    const all = await createQueue(t, { name: "Everyone", service_level_seconds: 120, working_hours: null });
    expect(german).toMatchObject({ position: 0, requires: ["lang:de"], relax_after_seconds: null, relax_to_any_agent: false });
    expect(all.position).toBe(1);
    const edited = await callJson(`/queues/${german.id}`, {
      token: t.manager.token,
      method: "PUT",
      json: { working_hours: { days: [0, 1, 2, 3, 4, 5, 6], from: "00:00", to: "23:59" } },
    });
    expect(edited.body).toMatchObject({ name: "German", working_hours: { from: "00:00", to: "23:59" } });
    expect((await callJson("/queues", { token: t.manager.token })).body.items.map((q: Json) => q.name)).toEqual(["German", "Everyone"]);
    expect((await callJson(`/queues/${german.id}`, { token: t.agents[0]!.token, method: "PUT", json: { name: "x" } })).status).toBe(403);

    // Nobody speaks German yet: the German call waits in its queue, the other goes to "Everyone".
    await setSkills(t, t.agents[0]!, [{ name: "lang:en", level: 2 }]);
    await makeReady(t.agents[0]!);
    const de = await submitted(t.customers[0]!, { user_info: { name: "Jonas", language: "de" } });
    const en = await submitted(t.customers[1]!, { user_info: { name: "Jo", language: "en" } });
    expect([(await view(t, de.call_id)).routing.queue_id, (await view(t, en.call_id)).routing.queue_id]).toEqual([german.id, all.id]);

    const figures = (await callJson("/dashboard/queues", { token: t.manager.token })).body.queues;
    expect(figures.map((q: Json) => [q.name, q.waiting, q.service_level_seconds, q.unmatched_call_ids.length])).toEqual([
      ["German", 1, 30, 1],
      ["Everyone", 1, 120, 0],
      ["Default", 0, 60, 0],
    ]);

    expect((await callJson(`/queues/${german.id}`, { token: t.manager.token, method: "DELETE" })).status).toBe(200);
    expect((await view(t, de.call_id)).status).toBe("pending");
    const after = (await callJson("/dashboard/queues", { token: t.manager.token })).body.queues;
    expect(after.map((q: Json) => [q.name, q.waiting])).toEqual([
      ["Everyone", 2],
      ["Default", 0],
    ]);
  });

  it("holds an agent's capacity across queues: one call at a time, whichever queue it came from", async () => {
    const t = await newTenant({ agents: 1, customers: 2 });
    const agent = t.agents[0]!;
    await createQueue(t, { name: "German", requires: ["lang:de"] });
    await createQueue(t, { name: "English", requires: ["lang:en"] });
    await setSkills(t, agent, [
      { name: "lang:de", level: 2 },
      { name: "lang:en", level: 2 },
    ]);
    await makeReady(agent, 1);
    const de = await submitted(t.customers[0]!, { user_info: { name: "Jonas", language: "de" } });
    const en = await submitted(t.customers[1]!, { user_info: { name: "Jo", language: "en" } });
    const offered = [await view(t, de.call_id), await view(t, en.call_id)].filter((c) => c.offered_to === agent.id);
    expect(offered.map((c) => c.id)).toEqual([de.call_id]);
    expect(en.position_in_queue).toBe(1);
  });
});
