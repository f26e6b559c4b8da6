// Bad input never yields a 500 or a stack trace; every error follows the contract's shape.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callJson, login } from "./support/api.ts";
import { createVerification } from "./support/factories.ts";

function expectContractError(body: any, code?: string) {
  expect(Object.keys(body)).toEqual(["error"]);
  expect(typeof body.error.code).toBe("string");
  expect(body.error.code).toMatch(/^[a-z0-9_]+$/);
  expect(typeof body.error.message).toBe("string");
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
  if (code) expect(body.error.code).toBe(code);
}

describe("error contract", () => {
  it("answers malformed JSON with 400", async () => {
    const res = await call("/auth/login", { body: "{not json", headers: { "Content-Type": "application/json" } });
    expect(res.status).toBe(400);
    expectContractError(await res.json());
  });

  it("answers an unknown route with a JSON 404", async () => {
    const { status, body } = await callJson("/no-such-thing");
    expect(status).toBe(404);
    expectContractError(body, "not_found");
  });

  it("answers a JSON body over 256 KiB with 413", async () => {
    const res = await call("/auth/login", { json: { email: "a@b.c", password: "x".repeat(300 * 1024) } });
    expect(res.status).toBe(413);
    expectContractError(await res.json(), "payload_too_large");
  });

  it("answers wrong field types with 400 and names them", async () => {
    const { status, body } = await callJson("/auth/login", { json: { email: 42, password: ["x"] } });
    expect(status).toBe(400);
    expectContractError(body, "validation_error");
    expect(body.error.details).toHaveProperty("email");
    expect(body.error.details).toHaveProperty("password");
  });

  it("validates nested user_info fields", async () => {
    const token = await login("customer2@demo.test");
    const { status, body } = await callJson("/verifications", {
      token,
      json: { user_info: { email: "not-an-email", date_of_birth: "31/01/1990" } },
    });
    expect(status).toBe(400);
    expect(Object.keys(body.error.details)).toEqual(expect.arrayContaining(["user_info.email", "user_info.date_of_birth"]));
  });

  it("rejects out-of-range list parameters", async () => {
    const token = await login("manager@demo.test");
    for (const query of ["limit=0", "limit=101", "limit=abc", "status=weird"]) {
      const { status, body } = await callJson(`/verifications?${query}`, { token });
      expect(status, query).toBe(400);
      expectContractError(body, "validation_error");
    }
  });

  it("pages through verifications with a cursor", async () => {
    for (let i = 0; i < 3; i++) await createVerification("customer5@demo.test");
    const token = await login("manager@demo.test");
    const first = await callJson("/verifications?limit=2", { token });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.next_cursor).toBeTruthy();
    const second = await callJson(`/verifications?limit=2&cursor=${first.body.next_cursor}`, { token });
    const ids = [...first.body.items, ...second.body.items].map((v: { id: string }) => v.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("operations", () => {
  it("reports health with every dependency check", async () => {
    const { status, body } = await callJson("/health");
    expect(status).toBe(200);
    expect(body.checks.d1.status).toBe("ok");
    expect(Object.keys(body.checks)).toEqual(["d1", "thronos_master", "thronos_replica", "ai_core"]);
  });

  it("serves an OpenAPI document generated from the schemas", async () => {
    const { status, body } = await callJson("/openapi.json");
    expect(status).toBe(200);
    expect(body.openapi).toBe("3.1.0");
    for (const path of ["/auth/login", "/verifications", "/verifications/{id}/documents", "/documents/{id}/content"]) {
      expect(body.paths).toHaveProperty([path]);
    }
  });

  it("has every migration in migrations/ applied to D1", async () => {
    const applied = await env.DB.prepare("SELECT name FROM d1_migrations ORDER BY id").all<{ name: string }>();
    expect(applied.results.map((r) => r.name)).toEqual(env.TEST_MIGRATIONS.map((m) => m.name));
    const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all<{ name: string }>();
    expect(tables.results.map((t) => t.name)).toEqual(expect.arrayContaining(["tenants", "users", "verifications", "documents"]));
  });
});
