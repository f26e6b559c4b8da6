// Every abuse limit at its default (this project sets no RATE_LIMIT_* var), through the real
// rate-limit binding: N requests pass, request N+1 answers 429 with Retry-After and the
// contract's error, and the limit is per user (or per client IP) and shared across its routes.
import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { beforeEach, describe, expect, it } from "vitest";
import { configFrom } from "../../worker/config.ts";
import type { AppEnv } from "../../worker/http/app-env.ts";
import { renderError } from "../../worker/http/errors.ts";
import { rateLimit } from "../../worker/http/rate-limits.ts";
import { call } from "../worker/support/api.ts";
import { documentForm, pngBytes } from "../worker/support/files.ts";
import { newTenant, type TestUser } from "../worker/support/tenant.ts";

const defaults = configFrom({}).rateLimits;

/** The binding counts per wall-clock minute (miniflare aligns windows to it): start each test
 * early in a minute, so its N+1 requests never straddle a new window. */
async function freshWindow(secondsNeeded = 10) {
  const left = 60 - (Date.now() % 60_000) / 1000;
  if (left < secondsNeeded) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 250));
}

beforeEach(() => freshWindow());

/** A client address no other test uses. */
const newIp = () => `198.51.100.${Math.floor(Math.random() * 250)}-${crypto.randomUUID().slice(0, 8)}`;

type Request = () => Promise<Response>;

/** Sends `n` requests and asserts none was limited. */
async function passes(n: number, send: Request) {
  for (let i = 0; i < n; i++) {
    const res = await send();
    expect(res.status, `request ${i + 1} of ${n}`).not.toBe(429);
    await res.body?.cancel();
  }
}

async function expectLimited(send: Request) {
  const res = await send();
  expect(res.status).toBe(429);
  expect(res.headers.get("Retry-After")).toBe("60");
  const body = await res.json<any>();
  expect(body.error.code).toBe("rate_limited");
  expect(typeof body.error.message).toBe("string");
  expect(body.error.details).toEqual({ retry_after_seconds: 60 });
}

const upload = (user: TestUser, path: string) => () =>
  call(path, { token: user.token, body: documentForm(pngBytes(256), { doc_type: "passport" }) });
const socket = (user: TestUser, path: string) => () => call(path, { token: user.token });

describe("defaults", () => {
  it("are the documented ones", () => {
    expect(defaults).toEqual({
      queue: 10,
      verifications: 10,
      uploads: 60,
      direct_calls: 20,
      sockets: 30,
      public_audit: 120,
      login_ip: 30,
      login_email: 10,
    });
  });
});

describe("per-user limits", () => {
  it(`queue requests: ${defaults.queue} a minute per user`, async () => {
    const t = await newTenant({ agents: 0 });
    const queue = (user: TestUser) => () =>
      call("/video-calls/queue", { token: user.token, json: { verification_id: "no-such-verification" } });
    await passes(defaults.queue, queue(t.customers[0]!));
    await expectLimited(queue(t.customers[0]!));
    // Another user is not limited.
    const other = await queue(t.customers[1]!)();
    expect(other.status).toBe(404);
  });

  it(`verification creation: ${defaults.verifications} a minute per user`, async () => {
    const t = await newTenant({ agents: 0 });
    const create = (user: TestUser) => () => call("/verifications", { token: user.token, json: {} });
    await passes(defaults.verifications, create(t.customers[0]!));
    await expectLimited(create(t.customers[0]!));
    expect((await create(t.customers[1]!)()).status).toBe(201);
  });

  it(`uploads: ${defaults.uploads} a minute per user, across documents, hashes and recordings`, async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const agent = t.agents[0]!;
    const third = Math.floor(defaults.uploads / 3);
    await passes(third, upload(agent, "/blockchain/hash-document"));
    await passes(third, upload(agent, "/verifications/no-such-verification/documents"));
    await passes(defaults.uploads - 2 * third, upload(agent, "/video-calls/no-such-call/recording"));
    for (const path of [
      "/blockchain/hash-document",
      "/verifications/no-such-verification/documents",
      "/video-calls/no-such-call/recording",
    ]) {
      await expectLimited(upload(agent, path));
    }
    const other = await upload(t.manager, "/blockchain/hash-document")();
    expect(other.status).toBe(200);
  });

  it(`direct calls: ${defaults.direct_calls} initiations a minute per user`, async () => {
    const t = await newTenant({ agents: 2, customers: 0 });
    const initiate = (user: TestUser) => () => call("/call/initiate", { token: user.token, json: { callee_id: "no-such-user" } });
    await passes(defaults.direct_calls, initiate(t.agents[0]!));
    await expectLimited(initiate(t.agents[0]!));
    expect((await initiate(t.agents[1]!)()).status).toBe(404);
  });

  it(`socket upgrades: ${defaults.sockets} a minute per user, across every socket route`, async () => {
    const t = await newTenant({ agents: 1, customers: 0 });
    // Plain GETs (no Upgrade header) answer 426 after the limiter has counted them.
    const paths = ["/video-calls/ws", "/video-calls/no-such-call/ws", "/rooms/no-such-room/ws", "/call/ws", "/dashboard/ws"];
    const share = Math.floor(defaults.sockets / paths.length);
    for (const [i, path] of paths.entries()) {
      const n = i === paths.length - 1 ? defaults.sockets - share * (paths.length - 1) : share;
      await passes(n, socket(t.manager, path));
    }
    for (const path of paths) await expectLimited(socket(t.manager, path));
    const other = await socket(t.agents[0]!, "/video-calls/ws")();
    expect(other.status).toBe(426);
  });
});

describe("per-client-IP limits", () => {
  it(`public audit routes: ${defaults.public_audit} a minute per client IP`, async () => {
    const ip = newIp();
    const paths = [
      "/audit/public-key",
      "/audit/checkpoint",
      "/audit/consistency?from=1&to=1",
      `/audit/receipts?document_hash=${"0".repeat(64)}`,
    ];
    const from = (address: string, path: string) => () => call(path, { headers: { "CF-Connecting-IP": address } });
    const share = defaults.public_audit / paths.length;
    for (const path of paths) await passes(share, from(ip, path));
    for (const path of paths) await expectLimited(from(ip, path));
    expect((await from(newIp(), "/audit/public-key")()).status).toBe(200);
  });

  it(`sign-in: ${defaults.login_ip} attempts a minute per client IP, across emails`, async () => {
    const ip = newIp();
    const attempt =
      (address: string, email: string, password = "wrong") =>
      () =>
        call("/auth/login", { json: { email, password }, headers: { "CF-Connecting-IP": address } });
    await passes(defaults.login_ip, () => attempt(ip, `guess-${crypto.randomUUID()}@demo.test`)());
    // Even the right password for a real account is refused from this address now.
    await expectLimited(attempt(ip, "agent4@demo.test", "demo-password"));
    expect((await attempt(newIp(), "agent4@demo.test", "demo-password")()).status).toBe(200);
  });

  it(`sign-in: ${defaults.login_email} attempts a minute per client IP and email`, async () => {
    const ip = newIp();
    const email = `guess-${crypto.randomUUID()}@demo.test`;
    const attempt = (address: string, who: string) => () =>
      call("/auth/login", { json: { email: who, password: "wrong" }, headers: { "CF-Connecting-IP": address } });
    await passes(defaults.login_email, attempt(ip, email));
    await expectLimited(attempt(ip, email));
    // The same email's case does not matter; another email from the address, or the same email
    // from another address, is still heard.
    await expectLimited(attempt(ip, email.toUpperCase()));
    expect((await attempt(ip, `other-${crypto.randomUUID()}@demo.test`)()).status).toBe(401);
    expect((await attempt(newIp(), email)()).status).toBe(401);
  });
});

describe("vars", () => {
  // The same middleware and the real binding, with the var set the way `--var` would set it.
  const probe = (vars: Record<string, string>) => {
    const key = crypto.randomUUID();
    const app = new Hono<AppEnv>()
      .get(
        "/probe",
        rateLimit("queue", () => key),
        (c) => c.text("ok"),
      )
      .onError(renderError);
    return async (times: number) => {
      const statuses: number[] = [];
      for (let i = 0; i < times; i++) statuses.push((await app.request("/probe", {}, { ...env, ...vars })).status);
      return statuses;
    };
  };

  it("0 turns a limit off", async () => {
    const statuses = await probe({ RATE_LIMIT_QUEUE_PER_MINUTE: "0" })(3 * defaults.queue);
    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  it("sets a limit's number", async () => {
    expect(await probe({ RATE_LIMIT_QUEUE_PER_MINUTE: "3" })(5)).toEqual([200, 200, 200, 429, 429]);
  });
});
