// /api/v1/health's pipeline checks, each from a signal D1 holds: audit records unlogged past
// five minutes, leaves no confirmed anchor covers past fifteen, anchors the anchor queue gave
// up on (its dead letters). The nodes are up in this project; test/faults/health.test.ts takes
// them down.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { eventually } from "../support/queue.ts";
import { newTenant } from "../support/tenant.ts";
import { deliverDeadLetters, health, redrive, unloggedRecords } from "./pipeline-support.ts";

const MINUTE = 60_000;
// Far beyond any tree this file's log grows to, so these anchors never collide with real ones.
const FAR = 1_000_000;

afterEach(async () => {
  // Every synthetic row below, so each test starts from a healthy pipeline.
  await env.DB.batch([
    env.DB.prepare("DELETE FROM audit_records WHERE tenant_id = 'reliability'"),
    env.DB.prepare("DELETE FROM blockchain_transactions WHERE tree_size >= ?").bind(FAR),
  ]);
});

async function insertAnchor(treeSize: number, status: "pending" | "confirmed" | "failed", at = Date.now()) {
  const rootHash = [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, "0")).join("");
  await env.DB.prepare(
    "INSERT INTO blockchain_transactions (id, tree_size, root_hash, status, attempts, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)",
  )
    .bind(`anchor-${treeSize}`, treeSize, rootHash, status, at, at)
    .run();
  return rootHash;
}

describe("health of the audit pipeline", () => {
  it("is ok when nothing waits, and keeps every dependency check", async () => {
    const body = await health();
    expect(body.status).toBe("ok");
    expect(body.degraded_by).toEqual([]);
    expect(Object.keys(body.checks)).toEqual(["d1", "thronos_master", "thronos_replica", "ai_core"]);
    expect(body.pipeline).toEqual({
      audit_backlog: { status: "ok", count: 0, older_than_minutes: 5 },
      anchor_backlog: { status: "ok", count: 0, older_than_minutes: 15 },
      dead_letters: { status: "ok", count: 0 },
    });
  });

  it("is degraded by audit records unlogged for more than five minutes, and counts only those", async () => {
    const old = Date.now() - 6 * MINUTE;
    await unloggedRecords("reliability:old", 3, old);
    await unloggedRecords("reliability:young", 2, Date.now() - MINUTE);
    const body = await health();
    expect(body.status).toBe("degraded");
    expect(body.degraded_by).toEqual(["audit_backlog"]);
    expect(body.pipeline.audit_backlog).toEqual({
      status: "degraded",
      count: 3,
      oldest_at: new Date(old).toISOString(),
      older_than_minutes: 5,
    });
  });

  it("is degraded by an anchor the anchor queue gave up on, until a confirmed anchor supersedes it", async () => {
    await insertAnchor(FAR, "pending");
    const dead = await deliverDeadLetters("verifyid-anchor-dlq", [{ tree_size: FAR, root_hash: "a".repeat(64) }]);
    expect(dead.explicitAcks).toHaveLength(1);
    const body = await health();
    expect(body.degraded_by).toEqual(["dead_letters"]);
    expect(body.pipeline.dead_letters).toMatchObject({ status: "degraded", count: 1 });

    await insertAnchor(FAR + 10, "confirmed");
    expect((await health()).status).toBe("ok");
  });

  it("is degraded by leaves logged more than fifteen minutes ago that no confirmed anchor covers", async () => {
    const loggedAt = Date.now() - 16 * MINUTE;
    await env.DB.prepare(
      "INSERT INTO audit_records (id, tenant_id, kind, subject_id, data, leaf_hash, leaf_index, created_at, logged_at) VALUES ('reliability:leaf', 'reliability', 'document', 'x', 'e30=', ?, ?, ?, ?)",
    )
      .bind("0".repeat(64), FAR, loggedAt, loggedAt)
      .run();
    const body = await health();
    expect(body.degraded_by).toEqual(["anchor_backlog"]);
    expect(body.pipeline.anchor_backlog).toEqual({
      status: "degraded",
      count: 1,
      oldest_at: new Date(loggedAt).toISOString(),
      older_than_minutes: 15,
    });

    await insertAnchor(FAR + 1, "confirmed");
    expect((await health()).pipeline.anchor_backlog.status).toBe("ok");
  });

  it("is ok again once a re-drive has logged the backlog", async () => {
    const t = await newTenant({ agents: 0, customers: 0 });
    await unloggedRecords("reliability:redriven", 5, Date.now() - 10 * MINUTE);
    expect((await health()).degraded_by).toEqual(["audit_backlog"]);
    expect((await redrive(t.it.token)).body.records_requeued).toBe(5);
    await eventually(async () => expect((await health()).status).toBe("ok"), 15_000);
  });
});
