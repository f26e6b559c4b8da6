// The local Thronos node's own contract, straight from THRONOS.md, so the stand-in the client
// is tested against cannot drift from how the real nodes answer.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startLocalThronos } from "../../thronos-node/server.ts";
import type { LocalThronos } from "../../thronos-node/server.ts";

const AI_KEY = "node-contract-key";
let node: LocalThronos;

beforeAll(async () => {
  node = await startLocalThronos({ aiKey: AI_KEY });
});
afterAll(() => node.close());
beforeEach(async () => {
  await control("/reset", {});
});

type Answer = { status: number; body: Record<string, unknown>; headers: Headers };

async function send(
  url: string,
  init: { method?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const res = await fetch(url, {
    method: init.method ?? (init.json === undefined && init.body === undefined ? "GET" : "POST"),
    headers: { "Content-Type": "application/json", ...init.headers },
    body: init.json === undefined ? init.body : JSON.stringify(init.json),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

const control = (path: string, json?: unknown) => send(`${node.controlUrl}${path}`, { json });
const hex = (n: number) => n.toString(16).padStart(64, "0");
const submit = (url: string, json: unknown) => send(`${url}/api/chain/hash/submit`, { json });
const score = (json: unknown, headers: Record<string, string> = { "X-API-Key": AI_KEY }) =>
  send(`${node.aiUrl}/v1/fraud/document`, { json, headers });

describe("POST /api/chain/hash/submit", () => {
  it("answers a new hash with 201 and the record, block_height being its position", async () => {
    const first = await submit(node.masterUrl, { hash: hex(1), hash_type: "checkpoint", metadata: { size: 1 } });
    expect(first.status).toBe(201);
    expect(Object.keys(first.body).sort()).toEqual(["block_height", "hash", "message", "ok", "timestamp", "tx_id"]);
    expect(first.body).toMatchObject({ ok: true, hash: hex(1), block_height: 0 });
    expect(first.body.tx_id).toMatch(/^VERIFY-CHECKPOINT-\d+-[0-9a-f]{8}$/);
    expect((await submit(node.masterUrl, { hash: hex(2), hash_type: "checkpoint" })).body.block_height).toBe(1);
  });

  it("answers the same hash again with 200 exists, the original tx_id and timestamp, no hash or height", async () => {
    const first = await submit(node.masterUrl, { hash: hex(1), hash_type: "checkpoint" });
    const again = await submit(node.masterUrl, { hash: hex(1), hash_type: "other" });
    expect(again.status).toBe(200);
    expect(Object.keys(again.body).sort()).toEqual(["exists", "message", "ok", "timestamp", "tx_id"]);
    expect(again.body).toMatchObject({ ok: true, exists: true, tx_id: first.body.tx_id, timestamp: first.body.timestamp });
  });

  it("checks only the length and compares case-sensitively", async () => {
    const lower = "ab".repeat(32);
    expect((await submit(node.masterUrl, { hash: lower })).status).toBe(201);
    expect((await submit(node.masterUrl, { hash: lower.toUpperCase() })).status).toBe(201);
    expect((await submit(node.masterUrl, { hash: "z".repeat(64) })).status).toBe(201);
  });

  it("answers a bad hash string with 400 Invalid hash format", async () => {
    const { status, body } = await submit(node.masterUrl, { hash: "abc" });
    expect(status).toBe(400);
    expect(body).toMatchObject({ ok: false });
    expect(body.error).toMatch(/^Invalid hash format/);
  });

  it("answers a missing hash with 400 hash required, also for a body that is not JSON", async () => {
    expect(await submit(node.masterUrl, {})).toMatchObject({ status: 400, body: { ok: false, error: "hash required" } });
    const garbled = await send(`${node.masterUrl}/api/chain/hash/submit`, { body: "not json" });
    expect(garbled).toMatchObject({ status: 400, body: { error: "hash required" } });
  });

  it("answers a non-string hash with 500 server_error", async () => {
    expect(await submit(node.masterUrl, { hash: 12345 })).toMatchObject({ status: 500, body: { ok: false, error: "server_error" } });
  });

  it("answers a write on the replica with 403 read_only_node naming the master", async () => {
    const { status, body } = await submit(node.replicaUrl, { hash: hex(1) });
    expect(status).toBe(403);
    expect(body).toEqual({ ok: false, error: "read_only_node", primary: node.masterUrl, node_role: "replica" });
    expect((await control("/state")).body.chain).toEqual([]);
  });
});

describe("/api/chain/hash/verify", () => {
  it("answers a known hash with the record, by GET and by POST, from the master and the replica", async () => {
    const { body: created } = await submit(node.masterUrl, { hash: hex(7), hash_type: "checkpoint", wallet: "w1", metadata: { a: 1 } });
    const expected = {
      ok: true,
      verified: true,
      tx_id: created.tx_id,
      block_height: 0,
      timestamp: created.timestamp,
      hash_type: "checkpoint",
      wallet: "w1",
      metadata: { a: 1 },
    };
    for (const url of [node.masterUrl, node.replicaUrl]) {
      expect(await send(`${url}/api/chain/hash/verify?hash=${hex(7)}`)).toMatchObject({ status: 200, body: expected });
      expect(await send(`${url}/api/chain/hash/verify`, { json: { hash: hex(7) } })).toMatchObject({ status: 200, body: expected });
    }
  });

  it("answers an unknown hash with 200 verified false", async () => {
    await submit(node.masterUrl, { hash: hex(1) });
    expect(await send(`${node.masterUrl}/api/chain/hash/verify?hash=${hex(2)}`)).toMatchObject({
      status: 200,
      body: { ok: true, verified: false, message: "Hash not found on blockchain" },
    });
  });

  it("answers a missing hash with 400", async () => {
    expect((await send(`${node.masterUrl}/api/chain/hash/verify`)).status).toBe(400);
  });
});

describe("transaction status", () => {
  it("answers /api/tx/status with 200 confirmed, 404 unknown, 400 missing", async () => {
    const { body: created } = await submit(node.masterUrl, { hash: hex(3), hash_type: "checkpoint" });
    expect(await send(`${node.masterUrl}/api/tx/status?tx_id=${created.tx_id}`)).toMatchObject({
      status: 200,
      body: { ok: true, tx_id: created.tx_id, status: "confirmed", found_in: "chain", block: 0, timestamp: created.timestamp },
    });
    expect((await send(`${node.masterUrl}/api/tx/status?tx_id=VERIFY-X-1-00000000`)).status).toBe(404);
    expect((await send(`${node.masterUrl}/api/tx/status`)).status).toBe(400);
  });

  it("answers an unknown id on the legacy /api/tx_status/<id> with a misleading 200 rejected", async () => {
    expect(await send(`${node.masterUrl}/api/tx_status/VERIFY-X-1-00000000`)).toMatchObject({
      status: 200,
      body: { status: "rejected", reason: "not_found" },
    });
  });
});

describe("health and headers", () => {
  it("answers GET /health on every node with the documented fields and CORS *", async () => {
    await submit(node.masterUrl, { hash: hex(9) });
    for (const [url, role] of [
      [node.masterUrl, "master"],
      [node.replicaUrl, "replica"],
      [node.aiUrl, "ai_core"],
    ] as const) {
      const { status, body, headers } = await send(`${url}/health`);
      expect(status).toBe(200);
      expect(Object.keys(body).sort()).toEqual(["chain_height", "last_hash", "ok", "role", "service", "ts", "version"]);
      expect(body).toMatchObject({ ok: true, role, version: "v3.6" });
      expect(headers.get("access-control-allow-origin")).toBe("*");
    }
    expect((await send(`${node.replicaUrl}/health`)).body).toMatchObject({ chain_height: 1, last_hash: hex(9) });
  });

  it("adds build fields on /api/health", async () => {
    const { body } = await send(`${node.masterUrl}/api/health`);
    expect(body).toMatchObject({ ok: true, role: "master", version: "v3.6" });
    expect(Object.keys(body).length).toBeGreaterThan(7);
  });

  it("names the answering node in X-Thronos-Node, on errors too", async () => {
    await control("/faults", { node: "master", mode: "error" });
    const cases = [
      [`${node.masterUrl}/health`, "master"],
      [`${node.replicaUrl}/no/such/route`, "replica"],
      [`${node.aiUrl}/v1/fraud/document`, "ai_core"],
    ] as const;
    for (const [url, role] of cases) expect((await send(url)).headers.get("x-thronos-node")).toBe(role);
  });
});

describe("syncing replica", () => {
  it("answers every /api GET with 200 syncing while its chain is empty", async () => {
    for (const path of ["/api/chain/hash/verify?hash=" + hex(1), "/api/tx/status?tx_id=x", "/api/health"]) {
      const { status, body } = await send(`${node.replicaUrl}${path}`);
      expect(status).toBe(200);
      expect(body).toEqual({ status: "syncing", progress: expect.any(Number) });
    }
  });

  it("stops syncing once the master has written, and syncs again when told to", async () => {
    await submit(node.masterUrl, { hash: hex(1) });
    expect((await send(`${node.replicaUrl}/api/chain/hash/verify?hash=${hex(1)}`)).body).toMatchObject({ verified: true });
    await control("/faults", { node: "replica", mode: "syncing" });
    expect((await send(`${node.replicaUrl}/api/chain/hash/verify?hash=${hex(1)}`)).body).toMatchObject({ status: "syncing" });
  });
});

describe("POST /v1/fraud/document", () => {
  const payload = { document_count: 1, user_info: { name: "Ada" } };

  it("requires the key in X-API-Key or as a bearer token", async () => {
    expect(await score(payload, {})).toMatchObject({ status: 401, body: { error: "unauthorized" } });
    expect((await score(payload, { "X-API-Key": "wrong" })).status).toBe(401);
    expect((await score(payload, { Authorization: `Bearer ${AI_KEY}` })).status).toBe(200);
  });

  it("answers a 0..100 score, a level, an explanation and flags, without an ok field", async () => {
    const { status, body } = await score(payload);
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(["explanation", "flags", "fraud_score", "risk_level"]);
    expect(body.fraud_score).toBeGreaterThanOrEqual(0);
    expect(body.fraud_score).toBeLessThanOrEqual(100);
    expect((await score(payload)).body).toEqual(body);
  });

  it("answers the score asked for by a [local-ai-score=NN] marker, also on /api/v1", async () => {
    const marked = { user_info: { name: "Eve [local-ai-score=91]" } };
    expect((await score(marked)).body).toMatchObject({ fraud_score: 91, risk_level: "critical" });
    const api = await send(`${node.aiUrl}/api/v1/fraud/document`, { json: marked, headers: { "X-API-Key": AI_KEY } });
    expect(api.body).toMatchObject({ fraud_score: 91 });
  });

  it("answers the fake 50 with raw error text when its model is down", async () => {
    await control("/faults", { node: "ai_core", mode: "ai_unavailable" });
    const { status, body } = await score(payload);
    expect(status).toBe(200);
    expect(body).toMatchObject({ fraud_score: 50, risk_level: "medium" });
    expect(body.explanation).toMatch(/^AI unavailable: /);
  });
});

describe("fault injection", () => {
  it("answers 503 by default in error mode, and heals after `count` requests", async () => {
    await control("/faults", { node: "master", mode: "error", count: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(`${node.masterUrl}/health`)).status);
    expect(statuses).toEqual([503, 503, 200]);
  });

  it("delays answers in slow mode", async () => {
    await control("/faults", { node: "replica", mode: "slow", delay_ms: 300, count: 1 });
    const started = Date.now();
    expect((await send(`${node.replicaUrl}/health`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("refuses TCP connections in refuse mode and listens on the same port again when healed", async () => {
    expect((await send(`${node.masterUrl}/health`)).status).toBe(200);
    await control("/faults", { node: "master", mode: "refuse" });
    const refused = await fetch(`${node.masterUrl}/health`).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as TypeError & { cause?: { code?: string } }).cause?.code).toBe("ECONNREFUSED");
    await control("/faults", { node: "master", mode: "ok" });
    expect((await send(`${node.masterUrl}/health`)).status).toBe(200);
  });

  it("rejects a fault that would do nothing", async () => {
    expect((await control("/faults", { node: "ai_core", mode: "syncing" })).status).toBe(400);
    expect((await control("/faults", { node: "master", mode: "refuse", count: 1 })).status).toBe(400);
    expect((await control("/faults", { node: "oracle", mode: "ok" })).status).toBe(400);
  });
});

describe("control state", () => {
  it("logs each request's method, path, node and status, and reset clears chain and log", async () => {
    await submit(node.masterUrl, { hash: hex(1) });
    await submit(node.replicaUrl, { hash: hex(2) });
    const { body } = await control("/state");
    expect(body.log).toMatchObject([
      { node: "master", method: "POST", path: "/api/chain/hash/submit", status: 201 },
      { node: "replica", method: "POST", path: "/api/chain/hash/submit", status: 403 },
    ]);
    expect(body.chain).toHaveLength(1);
    await control("/reset", {});
    expect((await control("/state")).body).toMatchObject({ chain: [], log: [] });
  });
});
