// Logs an operator can use, that never become a second copy of the personal data: the main flow
// runs while every console line is captured; each request leaves exactly one JSON request line
// with its id (echoed in X-Request-Id and in error bodies), and no line holds the password, a
// token, the customer's name, email or date of birth, the call notes or the document's bytes.
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { app } from "../../../worker/app.ts";
import { ORIGIN, type Json } from "../support/api.ts";
import { documentForm, gifBytes, pngBytes, sha256Hex } from "../support/files.ts";
import { newTenant } from "../support/tenant.ts";

const CUSTOMER = { name: "Zelda Quuxington-Vale", email: "zelda.quux@example.test", date_of_birth: "1987-03-14" };
const NOTES = "Customer mentioned her maiden name Fairweather; passport photo matches.";
const PASSWORD = "demo-password";

let lines: string[] = [];
beforeEach(() => {
  lines = [];
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  }
});
afterEach(() => vi.restoreAllMocks());

/** Requests straight into the app at LOG_LEVEL info (the tests' bindings say warn), optionally with a
 * broken D1; every answer keeps its request id for the check at the end. */
const answered: Array<{ id: string; status: number }> = [];
async function send(
  path: string,
  init: { method?: string; token?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string>; brokenD1?: boolean } = {},
): Promise<{ status: number; body: Json; requestId: string }> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
  let body = init.body;
  if (body instanceof FormData) {
    // Encoded up front, as a browser sends it: with its length (uploads require one).
    const encoded = new Response(body);
    headers.set("Content-Type", encoded.headers.get("Content-Type")!);
    body = await encoded.arrayBuffer();
    headers.set("Content-Length", String(body.byteLength));
  }
  if (init.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(init.json);
  }
  const DB = init.brokenD1
    ? new Proxy(env.DB, {
        get: (target, key) =>
          key === "prepare"
            ? () => {
                throw new Error("D1_ERROR: simulated outage");
              }
            : Reflect.get(target, key),
      })
    : env.DB;
  const res = await app.request(
    `${ORIGIN}/api/v1${path}`,
    { method: init.method ?? (body ? "POST" : "GET"), headers, body },
    { ...env, DB, LOG_LEVEL: "info" },
  );
  const text = await res.text();
  const requestId = res.headers.get("X-Request-Id") ?? "";
  answered.push({ id: requestId, status: res.status });
  return { status: res.status, body: text ? JSON.parse(text) : {}, requestId };
}

describe("structured logs", () => {
  it("log every request once by id, and never personal data, through the whole flow and its failures", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const [agent, customer] = [t.agents[0]!, t.customers[0]!];
    // A marker inside the image: the document's bytes must not reach a log line.
    const marker = "DOCBYTES-7f3a9c-SCAN";
    const png = pngBytes(4096);
    png.set(new TextEncoder().encode(marker), 64);

    const login = await send("/auth/login", { json: { email: "agent1@demo.test", password: PASSWORD } });
    expect(login.status).toBe(200);
    const created = await send("/verifications", { token: customer.token, json: { user_info: CUSTOMER } });
    expect(created.status).toBe(201);
    const upload = await send(`/verifications/${created.body.id}/documents`, {
      token: customer.token,
      body: documentForm(png, { doc_type: "passport" }),
    });
    expect(upload.status).toBe(201);
    const refused = await send(`/verifications/${created.body.id}/documents`, {
      token: customer.token,
      body: documentForm(gifBytes(), { doc_type: "passport" }),
    });
    expect(refused.status).toBe(415);
    expect(refused.body.error.request_id).toBe(refused.requestId);

    expect(
      (await send("/video-calls/agents/status", { token: agent.token, json: { status: "online", max_concurrent_calls: 1 } })).status,
    ).toBe(200);
    expect((await send("/agents/heartbeat", { token: agent.token, json: { device_connected: true } })).status).toBe(200);
    const queued = await send("/video-calls/queue", {
      token: t.manager.token,
      json: { verification_id: created.body.id, priority: "normal" },
    });
    expect(queued.status).toBe(201);
    const callId = queued.body.call_id as string;
    expect((await send(`/video-calls/${callId}/accept`, { token: agent.token, method: "POST" })).status).toBe(200);
    expect((await send(`/video-calls/${callId}/start`, { token: agent.token, method: "POST" })).status).toBe(200);
    const done = await send(`/video-calls/${callId}/complete`, {
      token: agent.token,
      json: { call_notes: NOTES, verification_result: "approved", reason_code: "IDENTITY_CONFIRMED" },
    });
    expect(done.status).toBe(200);
    const receipt = await send(`/audit/receipts?document_hash=${await sha256Hex(png)}`);
    expect([200, 202]).toContain(receipt.status);

    // A broken dependency: the answer is the contract's 500, logged as an event by message.
    const broken = await send(`/verifications/${created.body.id}`, { token: customer.token, brokenD1: true });
    expect(broken.status).toBe(500);
    expect(broken.body.error).toMatchObject({ code: "internal_error", request_id: broken.requestId });

    // A caller's own well-formed id is kept; a malformed one is replaced.
    const traced = await send("/health", { headers: { "X-Request-Id": "trace-abc-12345" } });
    expect(traced.requestId).toBe("trace-abc-12345");
    const odd = await send("/health", { headers: { "X-Request-Id": "<script>" } });
    expect(odd.requestId).not.toBe("<script>");

    const secrets = [
      PASSWORD,
      login.body.token,
      customer.token,
      agent.token,
      t.manager.token,
      CUSTOMER.name,
      CUSTOMER.email,
      CUSTOMER.date_of_birth,
      NOTES,
      marker,
      "Fairweather",
    ];
    for (const line of lines)
      for (const secret of secrets) expect(line, "a log line holds personal data or a secret").not.toContain(secret);

    const requestLines = lines.flatMap((line) => {
      try {
        const parsed = JSON.parse(line) as Json;
        return parsed.event === "request" ? [parsed] : [];
      } catch {
        return [];
      }
    });
    for (const { id, status } of answered) {
      const mine = requestLines.filter((l) => l.request_id === id);
      expect(mine, `request ${id}`).toHaveLength(1);
      expect(mine[0]).toMatchObject({ status, level: status >= 500 ? "error" : "info" });
      expect(typeof mine[0]!.duration_ms).toBe("number");
    }
    const completeLine = requestLines.find((l) => l.request_id === done.requestId)!;
    expect(completeLine).toMatchObject({
      method: "POST",
      route: "/api/v1/video-calls/:id/complete",
      param_id: callId,
      tenant_id: t.id,
      principal_id: agent.id,
    });
    expect(requestLines.find((l) => l.request_id === refused.requestId)).toMatchObject({ outcome: "unsupported_media_type", status: 415 });
    expect(
      lines.some((l) => l.includes('"event":"unhandled_error"') && l.includes("simulated outage") && l.includes(broken.requestId)),
    ).toBe(true);
  });
});
