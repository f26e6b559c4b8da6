// The system under test, started by the bench on free ports in one of two runners:
// - direct: the Worker bundle (as `wrangler deploy --dry-run` builds it) in Miniflare through its
//   own API: requests reach the one workerd process with no proxy in front;
// - wrangler: `wrangler dev` via scripts/local-stack.ts, exactly as `npm start` runs it, whose
//   proxy worker (a second workerd) sits in front of the Worker's.
// Either way the bench knows the workerd processes, to read their CPU time and memory.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { prepareLocalStack, startLocalStack } from "../../scripts/local-stack.ts";
import type { Runner } from "../lib/options.ts";
import { listeningOn, workerdBelow, type Role } from "../lib/proc.ts";
import { freePort, ROOT, runTool, TOOL_ENV, waitForOk } from "./processes.ts";
import type { ThronosNode } from "./thronos.ts";

export type Started = {
  runner: Runner;
  url: string;
  /** The workerd processes: "workerd (worker)" and, under wrangler dev, "workerd (wrangler proxy)". */
  workerd: Role[];
  stop(): Promise<void>;
};

/** Bundles a Worker the way `wrangler deploy` would, into a temporary folder; returns its entry module. */
async function bundle(configPath: string, log: (line: string) => void): Promise<{ entry: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), "verifyid-bench-bundle-"));
  await runTool("wrangler", ["deploy", "--dry-run", "--config", configPath, "--outdir", dir], log);
  return { entry: join(dir, "index.js"), dir };
}

/** The workerd processes that appeared below this process since `before`, by role. */
function newWorkerd(before: number[], port: number): Role[] {
  const fresh = workerdBelow(process.pid).filter((pid) => !before.includes(pid));
  const proxy = listeningOn(port, fresh);
  // Under Miniflare alone the one workerd both listens and runs the Worker.
  if (proxy.length === 0 || proxy.length === fresh.length) return [{ role: "workerd (worker)", pids: fresh }];
  return [
    { role: "workerd (worker)", pids: fresh.filter((p) => !proxy.includes(p)) },
    { role: "workerd (wrangler proxy)", pids: proxy },
  ];
}

/** A Worker in Miniflare, started through its API (no wrangler dev, no proxy). */
export async function startDirect(options: {
  name: string;
  configPath: string;
  persistTo?: string;
  vars: Record<string, string>;
  readyPath: string;
  log: (line: string) => void;
  /** Opens workerd's inspector here (CPU profiles: bench/profile.ts). */
  inspectorPort?: number;
}): Promise<Started> {
  const { entry, dir } = await bundle(options.configPath, options.log);
  const worker = unstable_getMiniflareWorkerOptions(options.configPath);
  const { modulesRules: _rules, ...workerOptions } = worker.workerOptions;
  const port = await freePort();
  const before = workerdBelow(process.pid);
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port,
      // `/cdn-cgi/handler/scheduled` as under wrangler dev, so the soak can run the cron.
      unsafeTriggerHandlers: true,
      ...(options.inspectorPort ? { inspectorPort: options.inspectorPort } : {}),
      ...(options.persistTo ? { resourcePersistencePath: join(options.persistTo, "v3") } : {}),
      log: undefined,
      workers: [
        {
          ...workerOptions,
          name: options.name,
          bindings: { ...(workerOptions.bindings as Record<string, unknown>), ...options.vars },
          modulesRoot: dir,
          modules: [{ type: "ESModule", path: entry }],
        },
        ...worker.externalWorkers,
      ],
    } as Parameters<typeof convertV4MiniflareOptions>[0]),
  );
  await mf.ready;
  const url = `http://127.0.0.1:${port}`;
  await waitForOk(`${url}${options.readyPath}`, 60_000);
  return {
    runner: "direct",
    url,
    workerd: newWorkerd(before, port),
    async stop() {
      await mf.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The bench's vars: every abuse limit off and the per-customer cap out of the way (worker/config.ts). */
export const BENCH_VARS: Record<string, string> = {
  RATE_LIMIT_QUEUE_PER_MINUTE: "0",
  RATE_LIMIT_VERIFICATIONS_PER_MINUTE: "0",
  RATE_LIMIT_UPLOADS_PER_MINUTE: "0",
  RATE_LIMIT_DIRECT_CALLS_PER_MINUTE: "0",
  RATE_LIMIT_SOCKETS_PER_MINUTE: "0",
  RATE_LIMIT_PUBLIC_AUDIT_PER_MINUTE: "0",
  RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: "0",
  RATE_LIMIT_LOGIN_PER_EMAIL_PER_MINUTE: "0",
  MAX_OPEN_VERIFICATIONS_PER_CUSTOMER: "1000000",
};

/** VerifyID Edge itself, with migrations, demo data and the dashboard prepared, in `runner`. */
export async function startSystem(
  runner: Runner,
  options: { persistTo: string; thronos: ThronosNode; log: (line: string) => void; inspectorPort?: number },
): Promise<Started> {
  const vars = {
    ...BENCH_VARS,
    THRONOS_MASTER_URL: options.thronos.masterUrl,
    THRONOS_REPLICA_URL: options.thronos.replicaUrl,
    THRONOS_AI_URL: options.thronos.aiUrl,
  };
  if (runner === "direct") {
    await prepareLocalStack({ persistTo: options.persistTo, output: "pipe", log: options.log });
    return startDirect({
      name: "verifyid",
      configPath: join(ROOT, "wrangler.toml"),
      persistTo: options.persistTo,
      vars,
      readyPath: "/api/v1/health",
      log: options.log,
      ...(options.inspectorPort ? { inspectorPort: options.inspectorPort } : {}),
    });
  }
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const before = workerdBelow(process.pid);
  const stack = await startLocalStack({
    port,
    persistTo: options.persistTo,
    output: "pipe",
    log: options.log,
    devArgs: [
      "--ip",
      "127.0.0.1",
      "--inspector-port",
      String(inspectorPort),
      ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ],
    readyTimeoutMs: 120_000,
  });
  return {
    runner,
    url: `http://127.0.0.1:${port}`,
    workerd: newWorkerd(before, port),
    stop: () => stack.stop(),
  };
}

/** The floor worker (bench/floor/) under `wrangler dev`, the same runner `npm start` uses. */
export async function startWranglerWorker(configPath: string, log: (line: string) => void): Promise<Started> {
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const before = workerdBelow(process.pid);
  const dev = spawn(
    "wrangler",
    ["dev", "--config", configPath, "--port", String(port), "--ip", "127.0.0.1", "--inspector-port", String(inspectorPort)],
    // Its own process group, so that stopping it also ends the workerd processes it started.
    { cwd: ROOT, env: TOOL_ENV, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  for (const stream of [dev.stdout, dev.stderr]) stream.on("data", (c: Buffer) => log(c.toString().trimEnd()));
  const exited = new Promise((done) => dev.once("exit", done));
  const stop = async () => {
    if (dev.exitCode === null && dev.signalCode === null && dev.pid) process.kill(-dev.pid, "SIGTERM");
    await exited;
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForOk(url, 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { runner: "wrangler", url, workerd: newWorkerd(before, port), stop };
}
