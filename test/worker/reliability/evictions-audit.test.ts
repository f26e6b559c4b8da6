// Issue 12, item 2: the AuditLog evicted between the batches it appends, graceful or by a crash.
// Leaf indices continue where they stopped, a record appended again keeps its first leaf, every
// leaf is proven under the latest signed checkpoint, each checkpoint is consistent with every
// later one, and the anchoring alarm still fires. Also a crash in the middle of an append (the
// leaves committed, the checkpoint not yet signed): the retried append signs it.
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { RECEIPT_VERSION, verifyConsistency, verifyReceipt } from "../../../merkle/index.js";
import { auditLog, publicKey } from "../support/audit.ts";
import { evict, inMemory, type Eviction } from "../support/evict.ts";

type Leaf = { recordId: string; kind: string; data: string };
let made = 0;
const records = (n: number): Leaf[] =>
  Array.from({ length: n }, () => ({ recordId: `evictions:${++made}:${crypto.randomUUID()}`, kind: "test", data: btoa(`leaf ${made}`) }));

type LogFlow = { start: number; appended: Leaf[]; checkpoints: number[] };

/** Appends `batch`; the new records get the next indices, in order, and the known ones their first. */
async function append(f: LogFlow, batch: Leaf[]) {
  const size = await auditLog().size();
  const known = new Map<string, number>();
  for (const r of batch) {
    const leaf = await auditLog().leafOf(r.recordId);
    if (leaf) known.set(r.recordId, leaf.index);
  }
  const { results, checkpoint } = await auditLog().append(batch);
  let next = size;
  expect(results.map((r) => r.index)).toEqual(batch.map((r) => known.get(r.recordId) ?? next++));
  expect(results.map((r) => r.duplicate)).toEqual(batch.map((r) => known.has(r.recordId)));
  expect(checkpoint!.tree_size).toBe(next);
  for (const r of batch) if (!known.has(r.recordId)) f.appended.push(r);
  if (!f.checkpoints.includes(next)) f.checkpoints.push(next);
}

const LOG_STEPS: Array<{ name: string; run: (f: LogFlow) => Promise<void> }> = [
  { name: "a first batch", run: (f) => append(f, records(5)) },
  { name: "a batch that repeats one record", run: (f) => append(f, [...records(2), f.appended[1]!, ...records(2)]) },
  { name: "a batch of repeats only", run: (f) => append(f, f.appended.slice(0, 3)) },
  {
    name: "the anchoring alarm",
    async run() {
      // Two batches within the interval: the second waits for the alarm (run now, unless a slow
      // run let the real one fire already).
      await runDurableObjectAlarm(auditLog());
      const meta = await inMemory(auditLog(), (i) => i.meta("anchorRequestedSize"));
      expect(meta).toBe(await auditLog().size());
    },
  },
  { name: "a last batch", run: (f) => append(f, records(3)) },
];

/** Everything the log holds from `start` on: leaves and the latest checkpoint. */
async function logSeen(f: LogFlow) {
  const size = await auditLog().size();
  const leaves = [];
  for (let i = f.start; i < size; i++) leaves.push(await auditLog().leaf(i));
  return { size, leaves, latest: await auditLog().latestCheckpoint() };
}

/** Leaves not yet handed to anchoring have an alarm waiting for them (read together: the real
 * alarm, ten seconds after a request, may fire during a slow run and anchor them). */
const anchoringArmed = () =>
  inMemory(
    auditLog(),
    async (i, state) => (i.meta("anchorRequestedSize") ?? 0) >= i.treeSize() || (await state.storage.getAlarm()) !== null,
  );

async function logFlow(evictAfter: (step: number) => Eviction | null) {
  const f: LogFlow = { start: await auditLog().size(), appended: [], checkpoints: [] };
  for (const [i, step] of LOG_STEPS.entries()) {
    await step.run(f);
    const how = evictAfter(i);
    if (!how) continue;
    const before = await logSeen(f);
    await evict(() => auditLog(), how);
    expect(await logSeen(f), `log after "${step.name}"`).toEqual(before);
    expect(await anchoringArmed()).toBe(true);
  }
  // No leaf lost or doubled: each record once, at consecutive indices from where the flow began.
  const size = await auditLog().size();
  expect(size).toBe(f.start + f.appended.length);
  const key = await publicKey();
  const latest = (await auditLog().latestCheckpoint())!;
  expect(latest.tree_size).toBe(size);
  for (const [n, r] of f.appended.entries()) {
    const leaf = (await auditLog().leafOf(r.recordId))!;
    expect(leaf).toMatchObject({ index: f.start + n, data: r.data });
    const receipt = {
      version: RECEIPT_VERSION,
      leaf,
      inclusion_proof: await auditLog().inclusion(leaf.index, size),
      checkpoint: latest,
    };
    expect((await verifyReceipt(receipt, key)).errors).toEqual([]);
  }
  // Every checkpoint of the flow is signed and consistent with every later one.
  for (const [k, from] of f.checkpoints.entries()) {
    const a = (await auditLog().checkpointAt(from))!;
    for (const to of f.checkpoints.slice(k + 1)) {
      const b = (await auditLog().checkpointAt(to))!;
      expect(verifyConsistency(from, to, a.root_hash, b.root_hash, await auditLog().consistency(from, to))).toBe(true);
    }
  }
}

describe("an AuditLog evicted between batches", () => {
  for (const how of ["hibernate", "crash"] as const) {
    for (const [i, step] of LOG_STEPS.entries()) {
      it(`continues the tree when evicted (${how}) after ${step.name}`, () => logFlow((at) => (at === i ? how : null)));
    }
    it(`continues the tree when evicted (${how}) after every step`, () => logFlow(() => how));
  }
});

describe("an AuditLog that crashes in the middle of an append", () => {
  it("signs the checkpoint of the leaves it committed when the append is retried", async () => {
    const start = await auditLog().size();
    const batch = records(4);
    // The leaves commit; signing the checkpoint never finishes, and the object is reset meanwhile.
    await inMemory(auditLog(), async (instance) => {
      instance.signCheckpoint = () => new Promise(() => {});
      void instance.append(batch);
      for (let i = 0; i < 200 && (await instance.size()) === start; i++) await new Promise((r) => setTimeout(r, 5));
    });
    expect(await auditLog().size()).toBe(start + 4);
    await evict(() => auditLog(), "crash");
    // The audit queue retries the batch: every record is known now, and the log signs their checkpoint.
    const { results, checkpoint } = await auditLog().append(batch);
    expect(results.map((r) => [r.index, r.duplicate])).toEqual(batch.map((_, n) => [start + n, true]));
    expect(checkpoint!.tree_size).toBe(start + 4);
    expect((await auditLog().latestCheckpoint())!.tree_size).toBe(start + 4);
  });
});
