// Sessions end: sign-out revokes the token at once, disabling a user revokes all of theirs, and
// the server closes every socket whose token expired or was revoked (close code 4001).
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { signToken } from "../../../worker/auth/tokens.ts";
import { call, callJson } from "../support/api.ts";
import { coordinator, openSocket } from "../support/queue.ts";
import { newTenant } from "../support/tenant.ts";

describe("sign-out", () => {
  it("revokes that token at once and only that one", async () => {
    const t = await newTenant({ agents: 1, customers: 0 });
    const agent = t.agents[0]!;
    const other = (await signToken({ userId: agent.id, tenantId: t.id, role: agent.role, name: agent.name }, env.JWT_SECRET, 3600)).token;
    expect((await callJson("/auth/me", { token: agent.token })).status).toBe(200);
    const out = await call("/auth/logout", { token: agent.token, method: "POST" });
    expect(out.status).toBe(204);
    const after = await callJson("/auth/me", { token: agent.token });
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/revoked/);
    expect((await callJson("/video-calls/pending", { token: agent.token })).status).toBe(401);
    expect((await callJson("/auth/me", { token: other })).status).toBe(200);
    // Signing out twice is not an error the user can do anything about: the token is already gone.
    expect((await call("/auth/logout", { token: agent.token, method: "POST" })).status).toBe(401);
  });

  it("closes the sockets of that session with 4001 and leaves the user's other sessions open", async () => {
    const t = await newTenant({ agents: 1, customers: 0 });
    const agent = t.agents[0]!;
    const second = (await signToken({ userId: agent.id, tenantId: t.id, role: agent.role, name: agent.name }, env.JWT_SECRET, 3600)).token;
    const desk = await openSocket("/video-calls/ws", agent.token);
    const direct = await openSocket("/call/ws", agent.token);
    const otherTab = await openSocket("/video-calls/ws", second);
    await desk.next("initial_state");
    await otherTab.next("initial_state");
    await direct.next("connected");
    expect((await call("/auth/logout", { token: agent.token, method: "POST" })).status).toBe(204);
    expect(await desk.closedWithin()).toEqual({ code: 4001, reason: "token_revoked" });
    expect(await direct.closedWithin()).toEqual({ code: 4001, reason: "token_revoked" });
    expect(otherTab.closed).toBe(false);
    otherTab.send({ type: "ping" });
    await otherTab.next("pong");
    otherTab.close();
  });

  it("refuses a socket upgrade with a revoked token", async () => {
    const t = await newTenant({ agents: 1, customers: 0 });
    await call("/auth/logout", { token: t.agents[0]!.token, method: "POST" });
    await expect(openSocket("/video-calls/ws", t.agents[0]!.token)).rejects.toThrow(/401/);
  });
});

describe("disabling a user", () => {
  it("revokes every token and closes every socket at once; enabling needs a new sign-in", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const email = `disable-${crypto.randomUUID().slice(0, 8)}@${t.id}.test`;
    const created = await callJson("/users", {
      token: t.manager.token,
      json: { email, name: "Dana Agent", role: "kyc_agent", password: "a-long-password" },
    });
    expect(created.status).toBe(201);
    const login = await callJson("/auth/login", { json: { email, password: "a-long-password" } });
    const token = login.body.token as string;
    const socket = await openSocket("/video-calls/ws", token);
    await socket.next("initial_state");

    const disabled = await callJson(`/users/${created.body.id}/disable`, { token: t.manager.token, method: "POST" });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ id: created.body.id, disabled: true });
    expect(await socket.closedWithin()).toEqual({ code: 4001, reason: "token_revoked" });
    expect((await callJson("/auth/me", { token })).status).toBe(401);
    const refused = await callJson("/auth/login", { json: { email, password: "a-long-password" } });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("account_disabled");

    expect((await callJson(`/users/${created.body.id}/enable`, { token: t.manager.token, method: "POST" })).body.disabled).toBe(false);
    expect((await callJson("/auth/me", { token })).status).toBe(401);
    const again = await callJson("/auth/login", { json: { email, password: "a-long-password" } });
    expect(again.status).toBe(200);
    expect((await callJson("/auth/me", { token: again.body.token })).status).toBe(200);
  });

  it("is for managers of the user's own tenant only", async () => {
    const t = await newTenant({ agents: 1, customers: 0 });
    const other = await newTenant({ agents: 1, customers: 0 });
    expect((await callJson(`/users/${t.agents[0]!.id}/disable`, { token: t.it.token, method: "POST" })).status).toBe(403);
    expect((await callJson(`/users/${t.agents[0]!.id}/disable`, { token: t.agents[0]!.token, method: "POST" })).status).toBe(403);
    expect((await callJson(`/users/${t.agents[0]!.id}/disable`, { token: other.manager.token, method: "POST" })).status).toBe(404);
    expect((await callJson(`/users/${t.manager.id}/disable`, { token: t.manager.token, method: "POST" })).status).toBe(409);
    expect((await callJson("/auth/me", { token: t.agents[0]!.token })).status).toBe(200);
  });
});

describe("token expiry", () => {
  it("closes a socket when its token expires (the object's alarm)", async () => {
    const t = await newTenant({ agents: 1, customers: 0 });
    const agent = t.agents[0]!;
    const short = (await signToken({ userId: agent.id, tenantId: t.id, role: agent.role, name: agent.name }, env.JWT_SECRET, 120)).token;
    const long = await openSocket("/video-calls/ws", agent.token);
    const expiring = await openSocket("/video-calls/ws", short);
    await expiring.next("initial_state");
    await long.next("initial_state");
    // The alarm is set for the earliest token expiry; running it is that moment arriving.
    expect(await runDurableObjectAlarm(coordinator(t))).toBe(true);
    expect(await expiring.closedWithin()).toEqual({ code: 4001, reason: "token_expired" });
    expect(long.closed).toBe(false);
    long.close();
  });

  it("closes a direct-call socket when its token expires", async () => {
    const t = await newTenant({ agents: 1, customers: 0 });
    const agent = t.agents[0]!;
    const short = (await signToken({ userId: agent.id, tenantId: t.id, role: agent.role, name: agent.name }, env.JWT_SECRET, 90)).token;
    const socket = await openSocket("/call/ws", short);
    await socket.next("connected");
    expect(await runDurableObjectAlarm(env.DIRECT_CALL_DESK.getByName(t.id))).toBe(true);
    expect(await socket.closedWithin()).toEqual({ code: 4001, reason: "token_expired" });
  });

  it("refuses tokens without exp or aud", async () => {
    const t = await newTenant({ agents: 1, customers: 0 });
    const key = new TextEncoder().encode(env.JWT_SECRET);
    const base = () =>
      new SignJWT({ tenant: t.id, role: "kyc_agent", name: "x", epoch: 0 })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(t.agents[0]!.id)
        .setIssuer("verifyid")
        .setJti(crypto.randomUUID());
    const noExp = await base().setAudience("verifyid-api").sign(key);
    const noAud = await base().setExpirationTime("1h").sign(key);
    const wrongAud = await base().setAudience("another-service").setExpirationTime("1h").sign(key);
    const good = await base().setAudience("verifyid-api").setExpirationTime("1h").sign(key);
    for (const token of [noExp, noAud, wrongAud]) expect((await callJson("/auth/me", { token })).status).toBe(401);
    expect((await callJson("/auth/me", { token: good })).status).toBe(200);
  });
});
