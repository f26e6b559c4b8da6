// The re-drive after a master outage, against the local node: anchors the anchor queue gave up
// on while the master refused connections, and audit records whose messages reached the audit
// dead-letter queue, are all re-driven by `POST /api/v1/admin/redrive`; afterwards every record
// is in the log once and every abandoned checkpoint is anchored once on the chain.
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { forgetNodeProbes } from "../../worker/services/node-health.ts";
import { callJson } from "../worker/support/api.ts";
import { anchorLatest, auditLog, logPendingRecords, receiptByHash } from "../worker/support/audit.ts";
import { uploadDocument } from "../worker/support/factories.ts";
import { pngBytes } from "../worker/support/files.ts";
import { eventually } from "../worker/support/queue.ts";
import { newTenant, type TestUser } from "../worker/support/tenant.ts";
import {
  deliverDeadLetters,
  health,
  leavesPerRecord,
  redrive,
  stillUnlogged,
  unloggedRecords,
} from "../worker/reliability/pipeline-support.ts";
import { injectFault, nodeState, resetNodes } from "./support/control.ts";

beforeEach(async () => {
  await resetNodes();
  forgetNodeProbes();
});

afterEach(async () => {
  await resetNodes();
  forgetNodeProbes();
});

async function upload(customer: TestUser, verificationId: string, seed: number) {
  const { body } = await uploadDocument(customer.token, verificationId, pngBytes(5000 + seed));
  return body.document_hash as string;
}

const anchorStatus = async (treeSize: number) =>
  (await env.DB.prepare("SELECT status FROM blockchain_transactions WHERE tree_size = ?").bind(treeSize).first<{ status: string }>())
    ?.status;

/** A checkpoint whose anchor was tried while the master refused, and then dead-lettered. */
async function abandonedCheckpoint() {
  await logPendingRecords();
  const { checkpoint, result } = await anchorLatest();
  expect(result.retryMessages).toHaveLength(1);
  const dead = await deliverDeadLetters("verifyid-anchor-dlq", [{ tree_size: checkpoint.tree_size, root_hash: checkpoint.root_hash }]);
  expect(dead.explicitAcks).toHaveLength(1);
  return checkpoint;
}

describe("re-drive after a master outage", () => {
  it("anchors every abandoned checkpoint once and logs every dead-lettered record once; a second re-drive changes nothing", async () => {
    const t = await newTenant({ customers: 1 });
    const customer = t.customers[0]!;
    const { body: verification } = await callJson("/verifications", { token: customer.token, json: {} });
    await injectFault({ node: "master", mode: "refuse" });

    // The first append asks the queue for an anchor itself; the checkpoints below come after it,
    // so only this test's dead letters decide their fate.
    const hashes = [await upload(customer, verification.id, 0)];
    await logPendingRecords();
    hashes.push(await upload(customer, verification.id, 1), await upload(customer, verification.id, 2));
    const first = await abandonedCheckpoint();
    hashes.push(await upload(customer, verification.id, 3));
    const second = await abandonedCheckpoint();
    expect(second.tree_size).toBeGreaterThan(first.tree_size);
    const records = await unloggedRecords("faults:redrive", 30);
    expect(
      (
        await deliverDeadLetters(
          "verifyid-audit-dlq",
          records.map((record_id) => ({ record_id })),
        )
      ).ackAll,
    ).toBe(true);

    const down = await health();
    expect(down.status).toBe("degraded");
    expect(down.degraded_by).toEqual(expect.arrayContaining(["thronos_master", "dead_letters"]));
    expect(down.pipeline.dead_letters.count).toBeGreaterThanOrEqual(1);

    await injectFault({ node: "master", mode: "ok" });
    const report = await redrive(t.it.token);
    expect(report.status).toBe(200);
    expect(report.body.records_unlogged).toBeGreaterThanOrEqual(30);
    expect(report.body.records_requeued).toBe(report.body.records_unlogged);
    expect(report.body.anchors_requeued).toBe(report.body.anchors_abandoned);

    await eventually(async () => {
      expect(await stillUnlogged("faults:redrive")).toBe(0);
      expect(await anchorStatus(first.tree_size)).toBe("confirmed");
      expect(await anchorStatus(second.tree_size)).toBe("confirmed");
    }, 20_000);
    const leaves = await leavesPerRecord("faults:redrive");
    expect(leaves.size).toBe(30);
    expect([...leaves.values()].every((n) => n === 1)).toBe(true);
    const chain = (await nodeState()).chain.map((r) => r.hash);
    expect(chain.filter((h) => h === first.root_hash)).toHaveLength(1);
    expect(chain.filter((h) => h === second.root_hash)).toHaveLength(1);
    expect(new Set(chain).size).toBe(chain.length);
    for (const hash of hashes) expect((await receiptByHash(hash)).body.anchor?.status).toBe("confirmed");

    forgetNodeProbes();
    const up = await health();
    expect(up.status).toBe("ok");
    expect(up.pipeline.dead_letters.count).toBe(0);

    const logSize = await auditLog().size();
    const again = await redrive(t.it.token);
    expect(again.body).toMatchObject({ records_unlogged: 0, anchors_abandoned: 0, anchors_requeued: 0 });
    await logPendingRecords();
    expect(await auditLog().size()).toBe(logSize);
    expect((await nodeState()).chain).toHaveLength(chain.length);
  });
});
