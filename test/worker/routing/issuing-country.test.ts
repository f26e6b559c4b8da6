// Issuing countries (issue 17): an upload may state the country that issued the document; it is
// stored on the document, shown with it, and becomes a `country:xx` requirement where the tenant
// routes on that country. Relaxation is stepped by the coordinator's alarm, never a sleep.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson, type Json } from "../support/api.ts";
import { documentForm, pngBytes } from "../support/files.ts";
import { coordinator, makeReady } from "../support/queue.ts";
import { newTenant, type TestTenant, type TestUser } from "../support/tenant.ts";

async function newVerification(customer: TestUser): Promise<string> {
  const created = await callJson("/verifications", { token: customer.token, json: { user_info: { name: customer.name } } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}

const upload = (customer: TestUser, verificationId: string, fields: Record<string, string>) =>
  callJson(`/verifications/${verificationId}/documents`, { token: customer.token, body: documentForm(pngBytes(), fields) });

/** A customer's submitted verification with one passport issued by `country`. */
async function submittedWithPassportFrom(customer: TestUser, country: string) {
  const id = await newVerification(customer);
  expect((await upload(customer, id, { doc_type: "passport", issuing_country: country })).status).toBe(201);
  const submit = await callJson(`/verifications/${id}/submit`, { token: customer.token, method: "POST" });
  expect(submit.status, JSON.stringify(submit.body)).toBe(200);
  return submit.body as Json;
}

const view = async (t: TestTenant, callId: string) => (await callJson(`/video-calls/${callId}`, { token: t.manager.token })).body;

describe("the upload's issuing country", () => {
  it("stores the country an upload states and shows it with the document and the call", async () => {
    const t = await newTenant({ agents: 0, customers: 1 });
    const customer = t.customers[0]!;
    const id = await newVerification(customer);
    const stated = await upload(customer, id, { doc_type: "id_card", issuing_country: "DE" });
    expect(stated.status, JSON.stringify(stated.body)).toBe(201);
    const row = await env.DB.prepare("SELECT issuing_country FROM documents WHERE id = ?").bind(stated.body.document_id).first();
    expect(row).toEqual({ issuing_country: "DE" });
    const detail = await callJson(`/verifications/${id}`, { token: customer.token });
    expect(detail.body.documents).toEqual([
      expect.objectContaining({ id: stated.body.document_id, doc_type: "id_card", issuing_country: "DE" }),
    ]);

    const submit = await callJson(`/verifications/${id}/submit`, { token: customer.token, method: "POST" });
    expect((await view(t, submit.body.call_id)).documents).toEqual([
      expect.objectContaining({ id: stated.body.document_id, issuing_country: "DE" }),
    ]);
  });

  it("takes an upload without a country, or with an empty one, as before: the country is null", async () => {
    const t = await newTenant({ agents: 0, customers: 1 });
    const customer = t.customers[0]!;
    const id = await newVerification(customer);
    const without = await upload(customer, id, { doc_type: "passport" });
    const empty = await upload(customer, id, { doc_type: "selfie", issuing_country: "" });
    expect([without.status, empty.status]).toEqual([201, 201]);
    expect(Object.keys(without.body).sort()).toEqual(["audit_record_id", "content_type", "document_hash", "document_id", "size"]);
    const detail = await callJson(`/verifications/${id}`, { token: customer.token });
    expect(detail.body.documents.map((d: Json) => [d.doc_type, d.issuing_country])).toEqual([
      ["passport", null],
      ["selfie", null],
    ]);
  });

  it("refuses a country that is not an upper-case ISO 3166-1 alpha-2 code with 400, and stores nothing", async () => {
    const t = await newTenant({ agents: 0, customers: 1 });
    const customer = t.customers[0]!;
    const id = await newVerification(customer);
    for (const country of ["de", "DEU", "Germany", "D1"]) {
      const res = await upload(customer, id, { doc_type: "passport", issuing_country: country });
      expect(res.status, country).toBe(400);
      expect(res.body.error.details.issuing_country).toMatch(/ISO 3166-1 alpha-2/);
    }
    expect((await env.DOCUMENTS.list({ prefix: `tenants/${t.id}/verifications/${id}/` })).objects).toHaveLength(0);
    expect((await callJson(`/verifications/${id}`, { token: customer.token })).body.documents).toEqual([]);
  });
});

describe("routing on the issuing country", () => {
  it("offers a German passport only to the agent who checks German documents, until the queue relaxes to anyone", async () => {
    const t = await newTenant({ agents: 2, customers: 2 });
    const [checker, other] = t.agents as [TestUser, TestUser];
    for (const [agent, skills] of [
      [checker, [{ name: "country:de", level: 2 }]],
      [other, [{ name: "lang:en", level: 3 }]],
    ] as const) {
      const res = await callJson(`/agents/${agent.id}/skills`, { token: t.manager.token, method: "PUT", json: { skills } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const queue = await callJson("/queues", {
      token: t.manager.token,
      json: { name: "Everyone", relax_after_seconds: 60, relax_to_any_agent: true },
    });
    expect(queue.status, JSON.stringify(queue.body)).toBe(201);
    await makeReady(checker);
    await makeReady(other);

    const first = await submittedWithPassportFrom(t.customers[0]!, "DE");
    expect(await view(t, first.call_id)).toMatchObject({
      offered_to: checker.id,
      routing: { requirements: [{ skill: "country:de", level: 1 }], relax_step: 0 },
    });
    expect((await callJson(`/video-calls/${first.call_id}/accept`, { token: checker.token, method: "POST" })).status).toBe(200);

    // The checker is busy: the next German passport waits rather than go to the other agent.
    const second = await submittedWithPassportFrom(t.customers[1]!, "DE");
    expect((await view(t, second.call_id)).offered_to).toBeUndefined();
    // Step 1 (any level) still needs a German-document skill, which the other agent lacks.
    await runDurableObjectAlarm(coordinator(t));
    expect(await view(t, second.call_id)).toMatchObject({ routing: { relax_step: 1 } });
    expect((await view(t, second.call_id)).offered_to).toBeUndefined();
    // Step 2: anyone.
    for (let i = 0; i < 5 && (await view(t, second.call_id)).routing.relax_step < 2; i++) await runDurableObjectAlarm(coordinator(t));
    const relaxed = await view(t, second.call_id);
    expect(relaxed).toMatchObject({ offered_to: other.id, routing: { relax_step: 2 } });
    expect(relaxed.routing.relaxations.map((r: Json) => r.step)).toEqual([1, 2]);
  });
});
