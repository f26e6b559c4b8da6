// The audit pipeline under load while the Thronos master fails: 200 verifications are submitted
// and decided through the API while the master refuses connections, then answers 503, then is
// slower than the client's timeout, and then recovers. The real queues, the log's alarm and the
// local node run throughout; the test drives the consumers directly only to reach quiescence now
// rather than after minutes of queue backoff (every step is idempotent).
import { createMessageBatch, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { verifyReceipt } from "../../merkle/index.js";
import { consumeAnchorDeadLetters } from "../../worker/audit/anchor-queue-consumer.ts";
import { appendRecords } from "../../worker/audit/audit-queue-consumer.ts";
import { sweepAudit } from "../../worker/audit/sweep.ts";
import { anchorLatest, auditLog, logPendingRecords, publicKey, receiptByHash } from "../worker/support/audit.ts";
import { eventually } from "../worker/support/queue.ts";
import { newTenant } from "../worker/support/tenant.ts";
import { type FaultSpec, injectFault, nodeState, resetNodes } from "./support/control.ts";
import { anchorRows, auditRows, deliverAnchors, deliverPendingAnchors, logLeaves } from "./support/pipeline.ts";
import { type Decided, decideRange, type StatusTally } from "./support/traffic.ts";

const VERIFICATIONS = 200;
// One lane per agent; enough lanes to keep workerd busy on a shared two-core machine. The test
// takes about 45 s on an idle one; the timeout leaves room for a machine shared with other runs.
const LANES = 20;

type Phase = { master: string; fault: FaultSpec; error: RegExp };

// The Worker's chain calls time out after THRONOS_TIMEOUT_MS (3000 ms by default).
const PHASES: Phase[] = [
  { master: "refuses connections", fault: { node: "master", mode: "refuse" }, error: /failed to connect/ },
  { master: "answers 503", fault: { node: "master", mode: "error", status: 503 }, error: /HTTP 503/ },
  { master: "is slower than the client's timeout", fault: { node: "master", mode: "slow", delay_ms: 4000 }, error: /timed out/ },
];

beforeEach(async () => {
  await resetNodes();
});

async function anchorRow(treeSize: number) {
  return env.DB.prepare("SELECT status, error FROM blockchain_transactions WHERE tree_size = ?")
    .bind(treeSize)
    .first<{ status: string; error: string | null }>();
}

/** While a fault holds: what the log has so far, anchored by the consumer as the queue runs it. */
async function anchorAttempt() {
  await logPendingRecords();
  const attempt = await anchorLatest();
  return { ...attempt, row: await anchorRow(attempt.checkpoint.tree_size) };
}

/** The pipeline's work after recovery, round after round, until nothing waits: the audit
 * queue's retries, the log's anchoring alarm, the anchor queue's pending retries (delivered now,
 * not after their backoff) and the minute sweep (which re-anchors what the dead letters left). */
async function settle() {
  for (let round = 0; round < 10; round++) {
    await logPendingRecords();
    await runDurableObjectAlarm(auditLog());
    await deliverPendingAnchors();
    await sweepAudit(env);
    const size = await auditLog().size();
    const anchors = await anchorRows();
    const covered = Math.max(0, ...anchors.filter((a) => a.status === "confirmed").map((a) => a.tree_size));
    const unlogged = (await auditRows()).filter((r) => r.leaf_index === null).length;
    if (unlogged === 0 && covered === size && !anchors.some((a) => a.status === "pending")) return;
    // A re-anchor from the sweep goes through the real queue.
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe("the audit pipeline while the Thronos master fails under load", () => {
  it("logs every record once and anchors every checkpoint once after the master refused, answered 503 and was slow " +
    "(one anchor's dead letter is simulated: the queue's 20 retries take over an hour)", async () => {
    const t = await newTenant({ agents: LANES, customers: 10 });
    const tally: StatusTally = new Map();
    const decided: Decided[] = [];
    const deadLettered: number[] = [];

    for (const [i, phase] of PHASES.entries()) {
      await injectFault(phase.fault);
      const from = Math.round((VERIFICATIONS * i) / PHASES.length);
      const to = Math.round((VERIFICATIONS * (i + 1)) / PHASES.length);
      const half = Math.round((from + to) / 2);
      decided.push(...(await decideRange(tally, t, from, half)));
      // An anchor attempt in the middle of the phase, while the traffic goes on.
      const [rest, attempt] = await Promise.all([decideRange(tally, t, half, to), anchorAttempt()]);
      decided.push(...rest);
      expect(attempt.result.retryMessages, `anchor while the master ${phase.master}`).toHaveLength(1);
      expect(attempt.row, `anchor while the master ${phase.master}`).toMatchObject({
        status: "pending",
        error: expect.stringMatching(phase.error),
      });
      if (phase.fault.mode === "error") {
        // As if the queue had given up on this anchor: the dead-letter consumer marks it failed.
        const { tree_size, root_hash } = attempt.checkpoint;
        await consumeAnchorDeadLetters(
          createMessageBatch("verifyid-anchor-dlq", [
            { id: `dead-${tree_size}`, timestamp: new Date(), attempts: 21, body: { tree_size, root_hash } },
          ]),
          env,
        );
        deadLettered.push(tree_size);
      }
    }
    await injectFault({ node: "master", mode: "ok" });
    // The real audit queue logs every record by itself, the decisions' (from the coordinator's
    // outbox) included: no master fault touches logging.
    await eventually(async () => expect((await auditRows()).filter((r) => r.leaf_index === null)).toEqual([]), 15_000);
    await settle();

    // No fault behind the API reached a client.
    expect(Object.fromEntries(tally)).toEqual({
      "create 201": VERIFICATIONS,
      "upload 201": VERIFICATIONS,
      "submit 200": VERIFICATIONS,
      "accept 200": VERIFICATIONS,
      "start 200": VERIFICATIONS,
      "complete 200": VERIFICATIONS,
    });
    expect(decided).toHaveLength(VERIFICATIONS);

    // Every record (a document, a submission and a decision per verification) is in the log once.
    const records = await auditRows();
    const kinds: Record<string, number> = {};
    for (const r of records) kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
    expect(kinds).toEqual({
      document: VERIFICATIONS,
      verification_submitted: VERIFICATIONS,
      video_call_completed: VERIFICATIONS,
    });
    const leaves = await logLeaves();
    expect(leaves).toHaveLength(records.length);
    expect(new Set(leaves.map((l) => l.record_id)).size).toBe(leaves.length);
    expect(leaves.map((l) => l.idx)).toEqual(leaves.map((_, i) => i));
    const leafOf = new Map(leaves.map((l) => [l.record_id, l]));
    for (const record of records) {
      expect(leafOf.get(record.id), record.id).toEqual({ idx: record.leaf_index, record_id: record.id, leaf_hash: record.leaf_hash });
    }

    // Every anchor is confirmed with the chain's transaction for its root, except the dead
    // letter, which a later confirmed anchor covers; the chain holds each root once, and only
    // roots the log signed.
    const anchors = await anchorRows();
    const chain = (await nodeState()).chain;
    const confirmed = anchors.filter((a) => a.status === "confirmed");
    expect(Math.max(...confirmed.map((a) => a.tree_size))).toBe(leaves.length);
    for (const anchor of anchors) {
      expect((await auditLog().checkpointAt(anchor.tree_size))?.root_hash).toBe(anchor.root_hash);
      if (anchor.status === "confirmed") {
        expect(chain.filter((r) => r.hash === anchor.root_hash).map((r) => r.tx_id)).toEqual([anchor.tx_id]);
      } else {
        expect(deadLettered).toContain(anchor.tree_size);
        expect(anchor.status).toBe("failed");
        expect(confirmed.some((a) => a.tree_size > anchor.tree_size)).toBe(true);
      }
    }
    expect(new Set(chain.map((r) => r.hash)).size).toBe(chain.length);
    for (const record of chain) {
      expect((await auditLog().checkpointAt(Number(record.metadata.tree_size)))?.root_hash).toBe(record.hash);
    }

    // Receipts made now verify offline against a confirmed anchor.
    const key = await publicKey();
    for (const { documentHash } of decided.filter((_, i) => i % 20 === 0)) {
      const { status, body } = await receiptByHash(documentHash);
      expect(status).toBe(200);
      expect(body.anchor.status).toBe("confirmed");
      expect((await verifyReceipt(body, key)).ok).toBe(true);
    }

    // A late second delivery of everything changes nothing.
    const redelivered = await deliverAnchors(confirmed);
    expect(redelivered.retryMessages).toEqual([]);
    const stillConfirmed = (await anchorRows()).filter((a) => a.status === "confirmed");
    expect(stillConfirmed.map(({ tree_size, tx_id }) => ({ tree_size, tx_id }))).toEqual(
      confirmed.map(({ tree_size, tx_id }) => ({ tree_size, tx_id })),
    );
    for (let i = 0; i < records.length; i += 100) {
      expect(
        await appendRecords(
          env,
          records.slice(i, i + 100).map((r) => r.id),
        ),
      ).toBe(0);
    }
    expect(await auditLog().size()).toBe(leaves.length);
  }, 240_000);
});
