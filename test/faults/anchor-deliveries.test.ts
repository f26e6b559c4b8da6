// Two deliveries of one anchor at once (a queue delivers at least once, and the log's interval
// and the sweep may both ask for the newest checkpoint): whichever finishes last, an anchor the
// chain confirmed stays confirmed.
import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { consumeAnchorBatch } from "../../worker/audit/anchor-queue-consumer.ts";
import { callJson } from "../worker/support/api.ts";
import { anchorLatest, auditLog, logPendingRecords } from "../worker/support/audit.ts";
import { uploadDocument } from "../worker/support/factories.ts";
import { eventually } from "../worker/support/queue.ts";
import { newTenant } from "../worker/support/tenant.ts";
import { injectFault, requestsTo, resetNodes } from "./support/control.ts";

const SUBMIT = "/api/chain/hash/submit";

beforeEach(async () => {
  await resetNodes();
});

/** A logged record and the checkpoint that holds it. */
async function checkpointToAnchor() {
  const t = await newTenant({ customers: 1 });
  const created = await callJson("/verifications", { token: t.customers[0]!.token, json: {} });
  await uploadDocument(t.customers[0]!.token, created.body.id);
  await logPendingRecords();
  return (await auditLog().latestCheckpoint())!;
}

/** A delivery of the anchor of `checkpoint`, started now, with the chain client's own retries
 * turned off so that one slow answer is its last. */
function slowDelivery(checkpoint: { tree_size: number; root_hash: string }) {
  const batch = createMessageBatch("verifyid-anchor", [
    {
      id: `late-${crypto.randomUUID()}`,
      timestamp: new Date(),
      attempts: 1,
      body: { tree_size: checkpoint.tree_size, root_hash: checkpoint.root_hash },
    },
  ]);
  return consumeAnchorBatch(batch, { ...env, THRONOS_RETRIES: "0" } as Env);
}

const anchorRow = (treeSize: number) =>
  env.DB.prepare("SELECT status, error, tx_id FROM blockchain_transactions WHERE tree_size = ?").bind(treeSize).first();

describe("concurrent deliveries of one anchor", () => {
  it("keeps an anchor confirmed when another delivery of it times out afterwards", async () => {
    const checkpoint = await checkpointToAnchor();
    await injectFault({ node: "master", mode: "slow", delay_ms: 4000 });
    const late = slowDelivery(checkpoint);
    await eventually(async () => expect(await requestsTo(SUBMIT)).toHaveLength(1));
    await injectFault({ node: "master", mode: "ok" });
    const first = await anchorLatest();
    expect(first.result.explicitAcks).toHaveLength(1);
    expect(await anchorRow(checkpoint.tree_size)).toMatchObject({ status: "confirmed" });
    await late;
    expect(await anchorRow(checkpoint.tree_size)).toMatchObject({ status: "confirmed", error: null });
  });

  it("keeps an anchor confirmed when another delivery of it is answered late and cannot read the chain", async () => {
    const checkpoint = await checkpointToAnchor();
    await injectFault({ node: "master", mode: "slow", delay_ms: 2500 });
    const late = slowDelivery(checkpoint);
    await eventually(async () => expect(await requestsTo(SUBMIT)).toHaveLength(1));
    await injectFault({ node: "master", mode: "ok" });
    expect((await anchorLatest()).result.explicitAcks).toHaveLength(1);
    const confirmed = await anchorRow(checkpoint.tree_size);
    expect(confirmed).toMatchObject({ status: "confirmed" });
    // The late delivery's answer (the node's duplicate) arrives while no node can be read.
    await injectFault({ node: "replica", mode: "refuse" });
    await injectFault({ node: "master", mode: "error", status: 503 });
    await late;
    expect(await anchorRow(checkpoint.tree_size)).toEqual(confirmed);
  });
});
