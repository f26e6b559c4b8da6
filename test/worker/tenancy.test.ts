// Every tenant-owned read is scoped by the caller's tenant; other tenants' ids are 404.
import { describe, expect, it } from "vitest";
import { callJson, login, sameAnswer } from "./support/api.ts";
import { createVerification, uploadDocument } from "./support/factories.ts";

describe("cross-tenant access", () => {
  it("hides a demo verification and its document from acme staff", async () => {
    const { id, token } = await createVerification("customer1@demo.test");
    const upload = await uploadDocument(token, id);
    expect(upload.status).toBe(201);

    for (const email of ["manager@acme.test", "agent1@acme.test", "customer1@acme.test"]) {
      const other = await login(email);
      const verification = await callJson(`/verifications/${id}`, { token: other });
      expect(verification.status).toBe(404);
      expect(verification.body.error.code).toBe("not_found");
      const content = await callJson(`/documents/${upload.body.document_id}/content`, { token: other });
      expect(content.status).toBe(404);
    }
  });

  it("answers another tenant's id exactly like an unknown id", async () => {
    const { id } = await createVerification("customer1@demo.test");
    const acme = await login("manager@acme.test");
    const foreign = await callJson(`/verifications/${id}`, { token: acme });
    const unknown = await callJson(`/verifications/01900000-0000-7000-8000-000000000000`, { token: acme });
    expect(foreign.body.error.request_id).not.toBe(unknown.body.error.request_id);
    expect(sameAnswer(foreign)).toEqual(sameAnswer(unknown));
  });

  it("hides one customer's verification from another customer of the same tenant", async () => {
    const { id } = await createVerification("customer1@demo.test");
    const other = await login("customer2@demo.test");
    expect((await callJson(`/verifications/${id}`, { token: other })).status).toBe(404);
  });

  it("shows the verification to the tenant's own staff", async () => {
    const { id } = await createVerification("customer1@demo.test");
    for (const email of ["agent1@demo.test", "manager@demo.test", "it@demo.test"]) {
      const { status, body } = await callJson(`/verifications/${id}`, { token: await login(email) });
      expect(status).toBe(200);
      expect(body.id).toBe(id);
    }
  });

  it("keeps staff listings within the tenant", async () => {
    const { id } = await createVerification("customer1@demo.test");
    const acme = await callJson("/verifications?limit=100", { token: await login("manager@acme.test") });
    expect(acme.body.items.map((v: { id: string }) => v.id)).not.toContain(id);
    const demo = await callJson("/verifications?limit=100", { token: await login("manager@demo.test") });
    expect(demo.body.items.map((v: { id: string }) => v.id)).toContain(id);
  });

  it("lists a customer's own verifications only", async () => {
    const mine = await createVerification("customer3@demo.test");
    const theirs = await createVerification("customer2@demo.test");
    const { body } = await callJson("/verifications?limit=100", { token: await login("customer3@demo.test") });
    const ids = body.items.map((v: { id: string }) => v.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    expect(body.items.every((v: { customer_id: string }) => v.customer_id === body.items[0].customer_id)).toBe(true);
  });

  it("lists only the manager's own tenant's users", async () => {
    const { body } = await callJson("/users", { token: await login("manager@acme.test") });
    expect(body.items.length).toBe(3);
    expect(body.items.every((u: { tenant_id: string }) => u.tenant_id === "acme")).toBe(true);
  });

  it("creates users in the manager's own tenant only", async () => {
    const email = `new-${crypto.randomUUID()}@acme.test`;
    const created = await callJson("/users", {
      token: await login("manager@acme.test"),
      json: { email, name: "New Agent", role: "kyc_agent", password: "long-enough-password", tenant_id: "demo" },
    });
    expect(created.status).toBe(201);
    expect(created.body.tenant_id).toBe("acme");
    const again = await callJson("/users", {
      token: await login("manager@acme.test"),
      json: { email, name: "Dup", role: "kyc_agent", password: "long-enough-password" },
    });
    expect(again.status).toBe(409);
  });
});
