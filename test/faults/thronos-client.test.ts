// The chain client against the real local node over HTTP, healthy and failing (THRONOS.md
// "What our system must add"). Each test starts from an empty chain and healthy nodes.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { submitHash, txStatus, verifyHash } from "../../worker/services/thronos/chain-client.ts";
import { injectFault, nodeState, randomHash, requestsTo, resetNodes, testConfig } from "./support/control.ts";

const SUBMIT = "/api/chain/hash/submit";
const VERIFY = "/api/chain/hash/verify";

beforeEach(async () => {
  await resetNodes();
});

async function anchored(hash = randomHash()) {
  const result = await submitHash(testConfig(), { hash, hashType: "checkpoint", metadata: { tree_size: 1 } });
  if (!result.ok) throw new Error(`submit failed: ${result.message}`);
  return { hash, ...result };
}

describe("submitHash", () => {
  it("anchors a new hash on the master", async () => {
    const result = await submitHash(testConfig(), { hash: randomHash(), hashType: "checkpoint" });
    expect(result).toMatchObject({ ok: true, duplicate: false, blockHeight: 0, nodeUrl: env.THRONOS_MASTER_URL });
    expect(result.ok && result.txId).toMatch(/^VERIFY-CHECKPOINT-\d+-[0-9a-f]{8}$/);
  });

  it("treats the same hash again as success with the original tx_id", async () => {
    const first = await anchored();
    const again = await submitHash(testConfig(), { hash: first.hash, hashType: "checkpoint" });
    expect(again).toMatchObject({ ok: true, duplicate: true, txId: first.txId });
    expect(again.ok && again.blockHeight).toBeUndefined();
    expect((await nodeState()).chain).toHaveLength(1);
  });

  it("follows a replica's read_only_node answer to the primary once", async () => {
    const config = testConfig({ masterUrl: env.THRONOS_REPLICA_URL });
    const result = await submitHash(config, { hash: randomHash(), hashType: "checkpoint" });
    expect(result).toMatchObject({ ok: true, duplicate: false, nodeUrl: env.THRONOS_MASTER_URL });
    expect(await requestsTo(SUBMIT)).toEqual([
      { node: "replica", status: 403 },
      { node: "master", status: 201 },
    ]);
  });

  it("sends an uppercase hash as lowercase hex", async () => {
    const hash = randomHash();
    await submitHash(testConfig(), { hash: hash.toUpperCase(), hashType: "checkpoint" });
    expect((await nodeState()).chain.map((record) => record.hash)).toEqual([hash]);
    expect(await verifyHash(testConfig(), hash.toUpperCase())).toMatchObject({ ok: true, verified: true });
  });

  it("refuses to send something that is not a SHA-256 hex digest", async () => {
    await expect(submitHash(testConfig(), { hash: "zz".repeat(32), hashType: "checkpoint" })).rejects.toThrow(TypeError);
    expect(await requestsTo(SUBMIT)).toEqual([]);
  });

  it("retries a master answering 503 and succeeds within the retries", async () => {
    await injectFault({ node: "master", mode: "error", status: 503, count: 2 });
    const result = await submitHash(testConfig({ retries: 2 }), { hash: randomHash(), hashType: "checkpoint" });
    expect(result).toMatchObject({ ok: true, duplicate: false });
    expect(await requestsTo(SUBMIT)).toEqual([
      { node: "master", status: 503 },
      { node: "master", status: 503 },
      { node: "master", status: 201 },
    ]);
  });

  it("gives up after the retries with a retryable failure", async () => {
    await injectFault({ node: "master", mode: "error", status: 502 });
    const result = await submitHash(testConfig({ retries: 1 }), { hash: randomHash(), hashType: "checkpoint" });
    expect(result).toMatchObject({ ok: false, kind: "http", status: 502, retryable: true });
    expect(await requestsTo(SUBMIT)).toHaveLength(2);
  });

  it("reports a master refusing connections as retryable and unreachable", async () => {
    await injectFault({ node: "master", mode: "refuse" });
    const result = await submitHash(testConfig({ retries: 1 }), { hash: randomHash(), hashType: "checkpoint" });
    expect(result).toMatchObject({ ok: false, kind: "unreachable", retryable: true, nodeUrl: env.THRONOS_MASTER_URL });
  });

  it("reports a master slower than the timeout as a retryable timeout", async () => {
    await injectFault({ node: "master", mode: "slow", delay_ms: 3000 });
    const started = Date.now();
    const result = await submitHash(testConfig({ timeoutMs: 200, retries: 1 }), { hash: randomHash(), hashType: "checkpoint" });
    expect(result).toMatchObject({ ok: false, kind: "timeout", retryable: true });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await requestsTo(SUBMIT)).toHaveLength(2);
  });

  it("does not retry a 400, which is permanent", async () => {
    await injectFault({ node: "master", mode: "error", status: 400 });
    const result = await submitHash(testConfig({ retries: 2 }), { hash: randomHash(), hashType: "checkpoint" });
    expect(result).toMatchObject({ ok: false, kind: "http", status: 400, retryable: false });
    expect(await requestsTo(SUBMIT)).toEqual([{ node: "master", status: 400 }]);
  });
});

describe("verifyHash", () => {
  it("reads a known hash from the replica without asking the master", async () => {
    const { hash, txId } = await anchored();
    const result = await verifyHash(testConfig(), hash);
    expect(result).toMatchObject({
      ok: true,
      verified: true,
      txId,
      blockHeight: 0,
      hashType: "checkpoint",
      nodeUrl: env.THRONOS_REPLICA_URL,
    });
    expect(await requestsTo(VERIFY)).toEqual([{ node: "replica", status: 200 }]);
  });

  it("falls back to the master while the replica is syncing", async () => {
    const { hash, txId } = await anchored();
    await injectFault({ node: "replica", mode: "syncing" });
    expect(await verifyHash(testConfig(), hash)).toMatchObject({ ok: true, verified: true, txId, nodeUrl: env.THRONOS_MASTER_URL });
  });

  it("falls back to the master when the replica's chain is empty", async () => {
    const hash = randomHash();
    expect(await verifyHash(testConfig(), hash)).toMatchObject({ ok: true, verified: false, nodeUrl: env.THRONOS_MASTER_URL });
    expect(await requestsTo(VERIFY)).toEqual([
      { node: "replica", status: 200 },
      { node: "master", status: 200 },
    ]);
  });

  it("falls back to the master when the replica is down", async () => {
    const { hash } = await anchored();
    await injectFault({ node: "replica", mode: "refuse" });
    expect(await verifyHash(testConfig(), hash)).toMatchObject({ ok: true, verified: true, nodeUrl: env.THRONOS_MASTER_URL });
  });

  it("falls back to the master when the replica answers 500", async () => {
    const { hash } = await anchored();
    await injectFault({ node: "replica", mode: "error", status: 500 });
    expect(await verifyHash(testConfig(), hash)).toMatchObject({ ok: true, verified: true, nodeUrl: env.THRONOS_MASTER_URL });
    expect(await requestsTo(VERIFY)).toEqual([
      { node: "replica", status: 500 },
      { node: "master", status: 200 },
    ]);
  });

  it("reports the master's failure when both nodes are down", async () => {
    await injectFault({ node: "replica", mode: "refuse" });
    await injectFault({ node: "master", mode: "refuse" });
    expect(await verifyHash(testConfig({ retries: 0 }), randomHash())).toMatchObject({
      ok: false,
      kind: "unreachable",
      retryable: true,
      nodeUrl: env.THRONOS_MASTER_URL,
    });
  });
});

describe("txStatus", () => {
  it("finds an anchored transaction", async () => {
    const { txId } = await anchored();
    expect(await txStatus(testConfig(), txId)).toMatchObject({ ok: true, found: true, txId, status: "confirmed", blockHeight: 0 });
  });

  it("reports an unknown transaction as not found (404), asking the master too", async () => {
    await anchored();
    expect(await txStatus(testConfig(), "VERIFY-CHECKPOINT-0-00000000")).toEqual({
      ok: true,
      found: false,
      nodeUrl: env.THRONOS_MASTER_URL,
    });
    expect(await requestsTo("/api/tx/status")).toEqual([
      { node: "replica", status: 404 },
      { node: "master", status: 404 },
    ]);
  });
});
