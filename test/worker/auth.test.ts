import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { DEMO_TENANTS } from "../../worker/demo/seed.ts";
import { call, callJson, login, userIdOf, sameAnswer } from "./support/api.ts";

const secret = () => new TextEncoder().encode(env.JWT_SECRET);

function tokenWith(claims: Record<string, unknown>, exp: number, key = secret()) {
  return new SignJWT({ tenant: "demo", role: "manager", ...claims })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject("someone")
    .setIssuer("verifyid")
    .setAudience("verifyid-api")
    .setJti(crypto.randomUUID())
    .setExpirationTime(exp)
    .sign(key);
}

describe("login", () => {
  const accounts = DEMO_TENANTS.flatMap((t) => t.users.map((u) => ({ ...u, tenant: t.id })));

  it.each(accounts)("logs in $email as $role of $tenant", async ({ email, role, tenant }) => {
    const { status, body } = await callJson("/auth/login", { json: { email, password: "demo-password" } });
    expect(status).toBe(200);
    expect(body.user).toMatchObject({ email, role, tenant_id: tenant });
    expect(typeof body.token).toBe("string");
  });

  it("answers a wrong password and an unknown email with the same 401", async () => {
    const wrong = await callJson("/auth/login", { json: { email: "agent1@demo.test", password: "nope-nope" } });
    const unknown = await callJson("/auth/login", { json: { email: "nobody@demo.test", password: "nope-nope" } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    // The same answer, apart from each request's own id (which tells nothing about the account).
    expect(sameAnswer(wrong)).toEqual(sameAnswer(unknown));
    expect(wrong.body.error.code).toBe("invalid_credentials");
  });

  it("lists each missing field in a 400", async () => {
    const { status, body } = await callJson("/auth/login", { json: {} });
    expect(status).toBe(400);
    expect(body.error.code).toBe("validation_error");
    expect(Object.keys(body.error.details)).toEqual(expect.arrayContaining(["email", "password"]));
  });

  it("accepts the email in any case", async () => {
    const { status } = await callJson("/auth/login", { json: { email: "Agent2@Demo.Test", password: "demo-password" } });
    expect(status).toBe(200);
  });
});

describe("tokens", () => {
  it("returns the caller from /auth/me", async () => {
    const token = await login("agent1@demo.test");
    const { status, body } = await callJson("/auth/me", { token });
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: userIdOf(token), email: "agent1@demo.test", role: "kyc_agent", tenant_id: "demo" });
  });

  it("rejects a request without a token", async () => {
    const { status, body } = await callJson("/auth/me");
    expect(status).toBe(401);
    expect(body.error.code).toBe("unauthorized");
  });

  it("rejects an expired token", async () => {
    const token = await tokenWith({}, Math.floor(Date.now() / 1000) - 10);
    const { status, body } = await callJson("/auth/me", { token });
    expect(status).toBe(401);
    expect(body.error.message).toMatch(/expired/);
  });

  it("rejects a token whose payload was altered", async () => {
    const token = await login("customer1@demo.test");
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(atob(payload!.replace(/-/g, "+").replace(/_/g, "/")));
    const forged = btoa(JSON.stringify({ ...claims, role: "manager" }))
      .replace(/=+$/, "")
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
    expect((await call("/users", { token: `${header}.${forged}.${signature}` })).status).toBe(401);
  });

  it("rejects a token signed with another key", async () => {
    const token = await tokenWith({}, Math.floor(Date.now() / 1000) + 600, new TextEncoder().encode("x".repeat(48)));
    expect((await call("/auth/me", { token })).status).toBe(401);
  });

  it("rejects an unsigned (alg none) token", async () => {
    const enc = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, "");
    const token = `${enc({ alg: "none", typ: "JWT" })}.${enc({ sub: "x", tenant: "demo", role: "manager", iss: "verifyid", exp: 9999999999 })}.`;
    expect((await call("/auth/me", { token })).status).toBe(401);
  });

  it("rejects a malformed Authorization header", async () => {
    const res = await call("/auth/me", { headers: { Authorization: "Basic abc" } });
    expect(res.status).toBe(401);
  });
});

describe("login rate limit", () => {
  it("answers 429 with Retry-After after 10 attempts a minute for one email", async () => {
    // The binding counts per wall-clock minute: do not let the 11 attempts straddle two.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 250));
    const email = `guess-${crypto.randomUUID()}@demo.test`;
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await call("/auth/login", { json: { email, password: `try-${i}` } })).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
    const limited = await call("/auth/login", { json: { email, password: "another" } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBe("60");
    expect((await limited.json<any>()).error.code).toBe("rate_limited");
    // Other accounts are unaffected.
    expect((await call("/auth/login", { json: { email: "agent4@demo.test", password: "demo-password" } })).status).toBe(200);
  });
});
