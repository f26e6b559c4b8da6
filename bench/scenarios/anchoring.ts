// Anchoring: N audit records (document uploads, each a leaf of the log) as fast as the clients
// can upload them, then the time until every document's receipt says its checkpoint is anchored
// on the (local) Thronos master, and how many calls the nodes received for it.
import { api, deal, inParallel, request } from "../lib/api.ts";
import { now, sleep } from "../lib/clock.ts";
import { Fleet } from "../lib/fleet.ts";
import { watchUsage } from "../lib/proc.ts";
import { workerdMsPerRequest, type Result } from "../lib/report.ts";
import { summarize } from "../lib/stats.ts";
import type { UploaderResult } from "../roles/uploader.ts";
import { CUSTOMERS } from "./dispatch.ts";
import { clientUsage, round, serverRoles, type Scenario } from "./context.ts";

/** worker/config.ts MAX_DOCUMENTS_PER_VERIFICATION's default. */
const DOCUMENTS_PER_VERIFICATION = 20;

type ControlState = { chain: unknown[]; log: { seq: number; node: string; method: string; path: string }[] };

export const anchoring: Scenario = {
  name: "anchoring",
  async run(ctx) {
    const { url } = ctx.system;
    const records = ctx.options.anchorRecords;
    const customers = await ctx.accounts.customers(CUSTOMERS);
    const verifications = Math.ceil(records / DOCUMENTS_PER_VERIFICATION);
    ctx.progress(`    ${verifications} verifications for ${records} documents`);
    const ids = await inParallel(
      Array.from({ length: verifications }, (_, i) => customers[i % customers.length]!),
      16,
      async (c) => ({
        verificationId: (await api(url, "/verifications", { token: c.token, json: {} })).id as string,
        token: c.token,
      }),
    );
    const jobs = Array.from({ length: records }, (_, i) => ids[i % ids.length]!);
    const control = async () => (await (await fetch(`${ctx.thronos.controlUrl}/state`)).json()) as ControlState;
    const before = await control();
    const lastSeq = before.log.at(-1)?.seq ?? 0;

    const fleet = await Fleet.start(
      deal(jobs, ctx.options.clients).map((share) => ({
        role: "uploader" as const,
        params: { baseUrl: url, jobs: share, concurrency: 4 },
      })),
    );
    const watch = watchUsage(serverRoles(ctx));
    const startedAt = fleet.go();
    let up;
    try {
      ctx.progress(`    uploading`);
      up = await fleet.reports<UploaderResult>(() => true, 3_600_000);
    } finally {
      await fleet.close();
    }
    const uploadedAt = Math.max(...up.map((u) => u.result.lastAt));
    const hashes = up.flatMap((u) => u.result.hashes);

    // Every receipt, until each says "confirmed" (or the time is up); the newest leaf first, as
    // it is anchored last.
    ctx.progress(`    waiting for ${hashes.length} receipts to be anchored`);
    const deadline = now() + ctx.options.anchorTimeoutS * 1000;
    let polls = 0;
    const anchored = async (hash: string) => {
      polls++;
      const r = await request(url, `/audit/receipts?document_hash=${hash}`).catch(() => null);
      return r?.status === 200 && r.body.anchor?.status === "confirmed";
    };
    const last = hashes.at(-1);
    while (last && now() < deadline && !(await anchored(last))) await sleep(1000);
    const lastAnchoredAt = now();
    let pending = hashes;
    while (pending.length && now() < deadline) {
      const still = await inParallel(pending, 8, async (h) => ((await anchored(h)) ? null : h));
      pending = still.filter((h): h is string => h !== null);
      if (pending.length) await sleep(2000);
    }
    const allAnchoredAt = now();
    const usage = watch.stop();
    const after = await control();
    const calls = after.log.filter((e) => e.seq > lastSeq);
    const byPath: Record<string, number> = {};
    for (const e of calls) byPath[`${e.node} ${e.method} ${e.path}`] = (byPath[`${e.node} ${e.method} ${e.path}`] ?? 0) + 1;
    const uploads = hashes.length;
    const failures = up.reduce((s, u) => s + u.result.failures, 0);
    const seconds = (allAnchoredAt - startedAt) / 1000;
    return [
      {
        scenario: "anchoring",
        name: `anchoring ${records} records`,
        system: "verifyid",
        runner: ctx.runner,
        measures: "document upload, request → response (the headline is the time to every receipt anchored, below)",
        params: { records },
        latency: summarize(up.flatMap((u) => u.result.latency)),
        lost: pending.length,
        failed: failures,
        requests: uploads + polls,
        durationS: round(seconds),
        throughput: round(uploads / ((uploadedAt - startedAt) / 1000)),
        cpu: [...usage, clientUsage(up, seconds)],
        cpuMsPerRequest: workerdMsPerRequest(usage, uploads + polls),
        figures: {
          uploadSeconds: round((uploadedAt - startedAt) / 1000),
          lastLeafAnchoredAfterS: round((lastAnchoredAt - uploadedAt) / 1000),
          everyReceiptAnchoredAfterS: pending.length ? null : round((allAnchoredAt - uploadedAt) / 1000),
          nodeCalls: calls.length,
          anchorSubmits: calls.filter((e) => e.path === "/api/chain/hash/submit").length,
          chainRecordsAdded: after.chain.length - before.chain.length,
          receiptPolls: polls,
          nodeCallsByRoute: JSON.stringify(byPath),
          workerdMsPerRecord: uploads
            ? round(usage.filter((u) => u.role.startsWith("workerd")).reduce((s, u) => s + u.cpuMs, 0) / uploads, 2)
            : null,
        },
        details: {},
      } satisfies Result,
    ];
  },
};
