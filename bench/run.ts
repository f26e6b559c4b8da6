// `npm run bench`: issue 9's measurements with their peers. Starts the system itself (per
// runner, on free ports, in a fresh state directory), runs each scenario from separate client
// processes, prints a table and writes bench/results/latest.json. See bench/README.md.
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { flagsOrExit, systemOutput } from "./lib/cli.ts";
import { helpText, parseOptions, type Options, type Runner, type ScenarioName } from "./lib/options.ts";
import { describeMachine, table, withRunnerSplit, type Result } from "./lib/report.ts";
import { startRedis, startSocketIoPeer, type PeerProcess } from "./peers/index.ts";
import { Accounts } from "./system/accounts.ts";
import { ROOT } from "./system/processes.ts";
import { startSystem } from "./system/system.ts";
import { startThronos, type ThronosNode } from "./system/thronos.ts";
import type { Context, Peers, Scenario } from "./scenarios/context.ts";
import { anchoring } from "./scenarios/anchoring.ts";
import { costs } from "./scenarios/costs.ts";
import { dispatch } from "./scenarios/dispatch.ts";
import { fanout } from "./scenarios/fanout.ts";
import { runFloor } from "./scenarios/floor.ts";
import { heartbeats } from "./scenarios/heartbeats.ts";
import { memory } from "./scenarios/memory.ts";
import { ramp } from "./scenarios/ramp.ts";

const SCENARIOS: Record<Exclude<ScenarioName, "floor">, Scenario> = { costs, dispatch, ramp, fanout, heartbeats, anchoring, memory };

const options: Options = flagsOrExit(parseOptions, helpText, process.argv.slice(2));
const { progress, log, systemLog } = systemOutput(Boolean(options.log));

// Peers start on first use and stop at the end.
const started: PeerProcess[] = [];
const lazy = (start: () => Promise<PeerProcess>) => {
  let p: Promise<PeerProcess> | undefined;
  return () => (p ??= start().then((peer) => (started.push(peer), peer)));
};
const peers: Peers = { socketIo: lazy(startSocketIoPeer), redis: lazy(() => startRedis(progress)) };

const machine = describeMachine(ROOT);
const results: Result[] = [];
const began = Date.now();
const wants = (s: ScenarioName) => options.only.includes(s);
const load = options.only.filter((s) => s !== "floor" && s !== "costs") as Exclude<ScenarioName, "floor">[];
const runners = [
  ...new Set<Runner>([...(wants("floor") || wants("costs") ? options.runners : []), ...(load.length ? options.loadRunners : [])]),
];
console.log(
  `VerifyID bench: ${machine.cores} cores, ${machine.memoryMb} MB, node ${machine.versions.node}, workerd ${machine.versions.workerd}`,
);
console.log(`scenarios: ${options.only.join(", ")}; runners: ${runners.join(", ")}`);

let failed = false;
const report = (what: string, err: unknown) => {
  failed = true;
  console.error(`  ${what} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
};

/** Floor, then the system with its scenarios, under one runner; a failing scenario is reported and skipped. */
async function underRunner(runner: Runner, thronos: ThronosNode, withPeers: boolean) {
  const inCosts = options.runners.includes(runner);
  let floorMs: number | null = null;
  if (wants("floor") && inCosts) {
    progress(`\n▶ floor (${runner})`);
    try {
      const floor = await runFloor(runner, options, log);
      results.push(withRunnerSplit(floor));
      floorMs = floor.cpuMsPerRequest;
    } catch (err) {
      report("floor", err);
    }
  }
  const scenarios = [...(wants("costs") && inCosts ? (["costs"] as const) : []), ...(options.loadRunners.includes(runner) ? load : [])];
  if (!scenarios.length) return;
  const persistTo = options.persist ? resolve(options.persist, runner) : await mkdtemp(join(tmpdir(), `verifyid-bench-${runner}-`));
  progress(`\n▶ starting VerifyID (${runner}) in ${persistTo}`);
  try {
    const system = await startSystem(runner, { persistTo, thronos, log }).catch((err: unknown) => {
      console.error(systemLog.join("\n"));
      throw err;
    });
    progress(`  ${system.url}; ${system.workerd.map((r) => `${r.role} pid ${r.pids.join(",")}`).join("; ")}`);
    const ctx: Context = { options, runner, system, accounts: new Accounts(system.url), thronos, withPeers, peers, floorMs, progress };
    try {
      for (const name of scenarios) {
        progress(`\n▶ ${name} (${runner})`);
        const t = Date.now();
        try {
          results.push(...(await SCENARIOS[name].run(ctx)).map(withRunnerSplit));
        } catch (err) {
          report(name, err);
        }
        progress(`  (${Math.round((Date.now() - t) / 1000)} s)`);
      }
    } finally {
      await system.stop();
    }
  } finally {
    if (!options.persist) await rm(persistTo, { recursive: true, force: true });
  }
}

const thronos = await startThronos();
try {
  // The peers run once, with the first runner that runs the load scenarios.
  const peerRunner = runners.find((r) => options.loadRunners.includes(r));
  for (const runner of runners) {
    try {
      await underRunner(runner, thronos, options.peers && runner === peerRunner);
    } catch (err) {
      report(`the ${runner} runner`, err);
    }
  }
} finally {
  await Promise.all(started.map((p) => p.stop()));
  await thronos.stop();
}

console.log(`\n${table(results)}\n`);
const out = resolve(ROOT, options.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ generatedAt: new Date().toISOString(), elapsedS: Math.round((Date.now() - began) / 1000), argv: process.argv.slice(2), machine, options, results }, null, 2)}\n`,
);
console.log(`results: ${out}`);
process.exit(failed ? 1 : 0);
