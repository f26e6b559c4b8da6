// `npm run soak`: issue 12's soak. Starts the system on a free port (as the bench does), drives
// mixed traffic from client processes for --minutes while faults come and go on the local
// Thronos node, drains, and checks that nothing was lost: status codes, calls, agents, the
// audit log's consistency and every receipt. Prints the checks, writes
// bench/results/soak-latest.json, exits 1 when a check fails. See bench/README.md.
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { inParallel } from "./lib/api.ts";
import { now } from "./lib/clock.ts";
import { Fleet } from "./lib/fleet.ts";
import { flagsOrExit, systemOutput } from "./lib/cli.ts";
import { rssMbOf, watchUsage } from "./lib/proc.ts";
import { describeMachine } from "./lib/report.ts";
import type { Arrivals } from "./roles/dashboards.ts";
import type { HttpHeartbeatsResult } from "./roles/http-heartbeats.ts";
import type { SoakAgentsResult } from "./roles/soak-agents.ts";
import type { SoakCustomersResult } from "./roles/soak-customers.ts";
import { checkpointSigned, checkReceipts, consistent, rootsOnChainTwice, type Checkpoint } from "./soak/audit.ts";
import { startChores } from "./soak/chores.ts";
import { allHealthy, faultWindows, playFaults } from "./soak/faults.ts";
import { trafficFigures } from "./soak/figures.ts";
import { expectedRecords, reconcileCalls, stuckAgents, verificationProblems, type AgentView, type FinalCall } from "./soak/ledger.ts";
import { parseSoakOptions, soakHelpText, type SoakOptions } from "./soak/options.ts";
import { isAgents, isCustomers, isDashboards, isHeartbeats, soakTasks } from "./soak/plan.ts";
import { checksOf, summaryText, type Facts } from "./soak/report.ts";
import { readVerifications, waitForEmptyQueue, waitForLog } from "./soak/settle.ts";
import { byStatus, count, countingRequest, mergeTallies, serverErrors, type Tally } from "./soak/tally.ts";
import { Accounts } from "./system/accounts.ts";
import { ROOT } from "./system/processes.ts";
import { startSystem, type Started } from "./system/system.ts";
import { startThronos, type ThronosNode } from "./system/thronos.ts";

const options: SoakOptions = flagsOrExit(parseSoakOptions, soakHelpText, process.argv.slice(2));
const { progress, log, systemLog } = systemOutput(Boolean(options.log));
const seconds = (ms: number) => Math.round(ms / 100) / 10;
const chainOf = async (controlUrl: string) =>
  ((await (await fetch(`${controlUrl}/state`)).json()) as { chain: { hash: string; hash_type: string }[] }).chain;

async function soak(system: Started, thronos: ThronosNode) {
  const { url } = system;
  // The soak's own requests (setup, drain, checks) count too: a 5xx there fails the run as well.
  const checksTally: Tally = {};
  const call = countingRequest(checksTally, url);
  const accounts = new Accounts(url);
  progress(`  accounts: ${options.agents} agents, ${options.customers} customers`);
  const manager = await accounts.manager();
  const agents = await accounts.agents(options.agents);
  const customers = await accounts.customers(options.customers);
  const asManager = { token: manager.token };
  const publicKey = (await call("/audit/public-key")).body.public_key as string;
  const base = await call("/audit/checkpoint");
  const baseSize = base.status === 200 ? (base.body.tree_size as number) : 0;
  const chainBefore = (await chainOf(thronos.controlUrl)).length;

  const trafficMs = options.minutes * 60_000;
  const waitLimitMs = options.drainSeconds * 1000;
  const tasks = soakTasks(options, url, { manager, agents, customers }, waitLimitMs);
  progress(`  starting ${tasks.length} client processes`);
  const fleet = await Fleet.start(tasks);
  const workerdPids = system.workerd.flatMap((r) => r.pids);
  const workerdRss = () => Math.round(workerdPids.reduce((s, pid) => s + rssMbOf(pid), 0) * 10) / 10;
  try {
    const rssStart = workerdRss();
    const usage = watchUsage([...system.workerd, { role: "thronos node", pids: [thronos.pid] }]);
    const at = fleet.go(500);
    const chores = startChores({ url, call, at, cronEverySeconds: options.cronSeconds, workerdRss, progress });
    const windows = faultWindows(trafficMs / 1000, options.faultEverySeconds, options.faultSeconds, options.faults);
    progress(`\n▶ traffic: ${options.rate} flows/min for ${options.minutes} min, ${windows.length} fault windows (workerd ${rssStart} MB)`);
    const faults = await playFaults(thronos.controlUrl, windows, at, trafficMs, options.slowMs, progress);

    // Drain: no new flows, every node healthy, agents take every call; the cron runs more often.
    const drainStarted = now();
    const deadline = drainStarted + options.drainSeconds * 1000;
    const drained = (what: string) => progress(`  ${what} (${seconds(now() - drainStarted)} s)`);
    progress(`\n▶ drain (at most ${options.drainSeconds} s)`);
    fleet.stop(isCustomers);
    await allHealthy(thronos.controlUrl);
    chores.hurry(15);
    await Promise.all(tasks.map((t, i) => (isAgents(t) ? fleet.command(i, { type: "calm" }) : null)));
    const customerReports = await fleet.reports<SoakCustomersResult>(isCustomers, waitLimitMs + 120_000);
    const flows = customerReports.flatMap((r) => r.result.flows);
    drained(`customers done: ${flows.length} flows`);

    const queueLeft = await waitForEmptyQueue(call, manager.token, deadline);
    const availability = async () => (await call("/video-calls/agents/availability", asManager)).body.agents as AgentView[];
    const agentIds = agents.map((a) => a.id);
    const stuckOnline = stuckAgents(agentIds, await availability(), "online");
    fleet.stop((t) => isAgents(t) || isDashboards(t));
    const agentReports = await fleet.reports<SoakAgentsResult>(isAgents, 120_000);
    const dashboardReports = await fleet.reports<Arrivals>(isDashboards, 60_000);
    const heartbeatReports = await fleet.reports<HttpHeartbeatsResult>(isHeartbeats, 60_000);
    const stuckOffline = stuckAgents(agentIds, await availability(), "offline");
    const agentCalls = agentReports.flatMap((r) => r.result.calls);

    // Calls: the server's view of each, held against what the driver did.
    const finals = new Map<string, FinalCall>();
    await inParallel(
      flows.flatMap((f) => (f.callId ? [f.callId] : [])),
      4,
      async (id) => {
        const answer = await call(`/video-calls/${id}`, asManager).catch(() => null);
        finals.set(id, answer?.status === 200 ? { status: answer.body.status, decision: answer.body.decision ?? null } : null);
      },
    );
    const calls = reconcileCalls(flows, agentCalls, finals);
    drained(`calls settled: ${calls.calls} calls, ${calls.lost.length} lost`);

    // The audit log: every record in it, the newest checkpoint anchored, each verification's records as its steps created them.
    const expected = new Map(flows.flatMap((f) => (f.verificationId ? [[f.verificationId, expectedRecords(f, agentCalls)] as const] : [])));
    const expectedCount = [...expected.values()].reduce(
      (s, e) => s + e.documents.length + (e.submitted ? 1 : 0) + (e.completion ? 1 : 0),
      0,
    );
    await waitForLog(call, thronos.controlUrl, baseSize + expectedCount, deadline);
    const verifications = await readVerifications(call, manager.token, [...expected.keys()], deadline);
    await chores.stop();

    const recordProblems = [...expected].flatMap(([id, e]) => {
      const v = verifications.get(id);
      return (v ? verificationProblems(e, v) : ["not readable"]).map((p) => `verification ${id}: ${p}`);
    });
    const records = [...verifications.values()].flatMap((v) => v.anchors);
    const leaves = records.flatMap((r) => (r.leaf_index === null ? [] : [r.leaf_index]));
    if (new Set(leaves).size !== leaves.length)
      recordProblems.push(`${leaves.length - new Set(leaves).size} leaf index(es) shared by two records`);
    const receipts = await checkReceipts(
      call,
      manager.token,
      records.map((r) => ({ recordId: r.record_id, leafIndex: r.leaf_index })),
      publicKey,
    );
    // Every checkpoint sampled during the run or named by a receipt: signed by the log, a prefix of the last one, read now.
    const final = await call("/audit/checkpoint");
    const last = final.status === 200 ? (final.body as Checkpoint) : null;
    drained(`audit settled: log ${last?.tree_size ?? 0} leaves, ${expectedCount} records expected`);
    const toCheck = new Map([...chores.checkpoints, ...receipts.checkpoints, ...(last ? [last] : [])].map((cp) => [cp.tree_size, cp]));
    let unsigned = 0;
    const inconsistent: number[] = [];
    if (last) {
      await inParallel([...toCheck.values()], 4, async (cp) => {
        if (!(await checkpointSigned(cp, publicKey))) unsigned++;
        if (!(await consistent(call, cp, last))) inconsistent.push(cp.tree_size);
      });
    }
    const chain = await chainOf(thronos.controlUrl);
    const health = (await call("/health").catch(() => null))?.body ?? null;
    const rssEnd = workerdRss();
    const cpu = usage.stop();

    // The HTTP heartbeat role (shared with the bench) counts its own answers: 2xx, else by status or "network".
    const beats: Tally = {};
    for (const { result } of heartbeatReports) {
      for (let i = 0; i < result.ok; i++) count(beats, "POST /agents/heartbeat", 200);
      for (const [status, n] of Object.entries(result.failures))
        for (let i = 0; i < n; i++) count(beats, "POST /agents/heartbeat", status === "network" ? 0 : Number(status));
    }
    const traffic = mergeTallies([...[...customerReports, ...agentReports].map((r) => r.result.tally), beats]);
    const everything = mergeTallies([traffic, checksTally]);
    const facts: Facts = {
      byStatus: byStatus(everything),
      calls,
      queueLeft,
      stuckOnline,
      stuckOffline,
      audit: {
        first: chores.checkpoints[0]?.tree_size ?? null,
        last: last?.tree_size ?? null,
        unsigned,
        consistencyChecked: toCheck.size,
        inconsistent: inconsistent.sort((x, y) => x - y),
        expectedRecords: expectedCount,
        logGrewBy: last ? last.tree_size - baseSize : null,
        recordProblems,
        receiptsChecked: receipts.checked,
        receiptsVerified: receipts.verified,
        receiptFailures: receipts.failed.map((f) => `${f.recordId}: ${f.why}`),
        anchors: receipts.anchors,
      },
      memory: { startMb: rssStart, endMb: rssEnd },
    };
    return {
      checks: checksOf(facts),
      requests: {
        byStatus: facts.byStatus,
        traffic: byStatus(traffic),
        checks: byStatus(checksTally),
        serverErrors: serverErrors(everything),
        byRoute: everything,
      },
      memory: {
        workerdStartMb: rssStart,
        workerdEndMb: rssEnd,
        workerdPeakMb: Math.max(rssStart, rssEnd, ...chores.series.map((s) => s.rssMb)),
        series: chores.series,
      },
      traffic: trafficFigures({
        flows,
        agents: agentReports.map((r) => r.result),
        dashboards: dashboardReports.map((r) => r.result),
        httpBeats: heartbeatReports.map((r) => r.result),
        verifications: [...verifications.values()],
      }),
      timing: { trafficS: trafficMs / 1000, drainS: seconds(now() - drainStarted) },
      faults,
      cron: chores.cron,
      chain: { anchorsAdded: chain.length - chainBefore, rootsAnchoredTwice: rootsOnChainTwice(chain) },
      audit: { ...facts.audit, checkpointsSeen: chores.checkpoints.length },
      lost: calls.lost,
      stuck: { online: stuckOnline, offline: stuckOffline, queueLeft },
      cpu,
      health,
    };
  } finally {
    await fleet.close();
  }
}

const began = Date.now();
const machine = describeMachine(ROOT);
console.log(
  `VerifyID soak: ${machine.cores} cores, ${machine.memoryMb} MB, node ${machine.versions.node}, workerd ${machine.versions.workerd}`,
);
const thronos = await startThronos();
const persistTo = options.persist ? resolve(options.persist) : await mkdtemp(join(tmpdir(), "verifyid-soak-"));
let outcome: Awaited<ReturnType<typeof soak>> | null = null;
let failure: unknown = null;
try {
  progress(`\n▶ starting VerifyID (${options.runner}) in ${persistTo}`);
  const system = await startSystem(options.runner, { persistTo, thronos, log }).catch((err: unknown) => {
    console.error(systemLog.join("\n"));
    throw err;
  });
  progress(`  ${system.url}; ${system.workerd.map((r) => `${r.role} pid ${r.pids.join(",")}`).join("; ")}`);
  try {
    outcome = await soak(system, thronos);
  } catch (err) {
    failure = err;
  } finally {
    await system.stop();
  }
} finally {
  await thronos.stop();
  if (!options.persist) await rm(persistTo, { recursive: true, force: true });
}

if (!outcome) {
  console.error(`the soak did not finish: ${failure instanceof Error ? (failure.stack ?? failure.message) : String(failure)}`);
  process.exit(1);
}
const ok = outcome.checks.every((c) => c.ok);
console.log(`\n${summaryText(outcome.checks, outcome.requests.byStatus)}`);
console.log(
  `  workerd RSS: ${outcome.memory.workerdStartMb} MB at the start, ${outcome.memory.workerdEndMb} MB at the end (peak ${outcome.memory.workerdPeakMb} MB)`,
);
const out = resolve(ROOT, options.out);
mkdirSync(dirname(out), { recursive: true });
const command = `npm run soak${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
const report = {
  generatedAt: new Date().toISOString(),
  command,
  ok,
  elapsedS: Math.round((Date.now() - began) / 1000),
  machine,
  options,
  ...outcome,
};
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\n${ok ? "soak passed" : "soak FAILED"}; report: ${out}`);
process.exit(ok ? 0 : 1);
