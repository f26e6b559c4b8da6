// The whole system locally, offline, as one call: used by `npm start`, `npm run dev`, the
// browser tests and the bench. Applies the D1 migrations and creates the demo tenants and users
// (one short-lived local D1, no wrangler subprocess), builds the dashboard and starts the local
// Thronos node (unless THRONOS_* URLs are given) side by side, then runs `wrangler dev` and
// waits until `/api/v1/health` answers. wrangler's start-up chatter that is noise here (its
// banner, the bindings table, a `Request.cf` fetch that cannot work offline) is kept out of the
// terminal; anything else it prints is shown.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, generateKeyPairSync } from "node:crypto";
import { appendFileSync, copyFileSync, existsSync, readFileSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { getPlatformProxy, unstable_splitSqlQuery } from "wrangler";
import { startForWranglerDev } from "../thronos-node/server.ts";
import { seedDemoData } from "../worker/demo/seed.ts";

export type LocalStackOptions = {
  /** `wrangler dev --port`; when absent, a `--port` in `devArgs` or wrangler's 8787. */
  port?: number;
  /** Where D1, R2 and Durable Object state live; wrangler's `.wrangler/state` when absent. */
  persistTo?: string;
  /** Extra `wrangler dev` arguments, e.g. `--var OFFER_TIMEOUT_SECONDS:15`. */
  devArgs?: string[];
  /** "inherit" (npm start): progress and wrangler's output in this terminal. "pipe": all to `log`. */
  output?: "inherit" | "pipe";
  /** Progress lines, and wrangler's output when `output` is "pipe". */
  log?: (line: string) => void;
  /** How long to wait for `/api/v1/health` before giving up. */
  readyTimeoutMs?: number;
  /** `npm run dev`: rebuild the dashboard on every change (wrangler dev reloads the Worker itself). */
  watchUi?: boolean;
  /** First of four consecutive ports for the local Thronos node set; free ones when absent. */
  thronosPortBase?: number;
};

export type LocalStack = {
  url: string;
  /** Other addresses the dashboard answers on (`--ip 0.0.0.0`: this machine's network addresses). */
  otherUrls: string[];
  /** The inspector wrangler dev opened for the Worker (`--inspector-port`, free-picked when absent). */
  inspectorUrl: string;
  /** One line naming the local Thronos node's ports, or that the given THRONOS_* URLs are used. */
  thronos: string;
  /** `/api/v1/health`'s status when it first answered ("ok", "degraded", …). */
  health: string;
  /** Seconds from this process's start (node itself, before any import) to the first health answer. */
  readySeconds: number;
  /** Settles with wrangler dev's exit code when it stops, for whatever reason. */
  exited: Promise<number | null>;
  /** Stops wrangler dev and the local Thronos node. */
  stop(signal?: NodeJS.Signals): Promise<void>;
};

const root = resolve(import.meta.dirname, "..");
const bin = join(root, "node_modules", ".bin");
// The project's own node (Node 22) and tools first, even when started outside `npm run`.
// Offline and quiet: no metrics, no update banner, and no fetch of the `Request.cf` object
// from workers.cloudflare.com (offline it fails with a stack trace and a placeholder is used;
// miniflare reads CLOUDFLARE_CF_FETCH_ENABLED=false as "use the placeholder").
const childEnv = {
  ...process.env,
  PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`,
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_HIDE_BANNER: "true",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  CI: process.env.CI ?? "",
};

function run(command: string, args: string[], log: (line: string) => void, env: NodeJS.ProcessEnv = childEnv): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env });
    let captured = "";
    const keep = (chunk: Buffer) => void (captured += chunk.toString());
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    child.on("error", fail);
    child.on("exit", (code) => {
      if (code === 0) return done();
      if (captured) log(captured);
      fail(new Error(`${command} ${args.join(" ")} exited with ${code}`));
    });
  });
}

/** First start: copy the example vars and generate this machine's own audit signing key. */
function ensureDevVars(log: (line: string) => void) {
  const devVars = join(root, ".dev.vars");
  if (!existsSync(devVars)) {
    copyFileSync(join(root, ".dev.vars.example"), devVars);
    log("  created .dev.vars from .dev.vars.example");
  }
  if (!/^AUDIT_SIGNING_KEY=/m.test(readFileSync(devVars, "utf8"))) {
    const { privateKey } = generateKeyPairSync("ed25519");
    const pkcs8 = privateKey.export({ format: "der", type: "pkcs8" }).toString("base64");
    appendFileSync(
      devVars,
      `\n# Ed25519 key (PKCS#8, base64) that signs audit checkpoints; generated on first start.\nAUDIT_SIGNING_KEY=${pkcs8}\n`,
    );
    log("  generated a local AUDIT_SIGNING_KEY in .dev.vars");
  }
}

/** A top-level `key = "value"` of wrangler.toml (the first one, before any [env.*] table). */
function tomlValue(key: string): string {
  const value = readFileSync(join(root, "wrangler.toml"), "utf8").match(new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, "m"))?.[1];
  if (!value) throw new Error(`wrangler.toml has no ${key}`);
  return value;
}

/**
 * The local D1 as wrangler dev will see it: migrations applied (recorded in `d1_migrations`,
 * as `wrangler d1 migrations apply` records them) and the demo data created. The proxy gets a
 * config with the D1 binding alone: given all of wrangler.toml it would warn that the Durable
 * Objects (which live in the Worker it does not run) "will not work", which is not true of
 * wrangler dev.
 */
async function prepareDatabase(persistTo: string | undefined, log: (line: string) => void) {
  const dir = await mkdtemp(join(tmpdir(), "verifyid-d1-"));
  const configPath = join(dir, "wrangler.json");
  const migrationsDir = join(root, tomlValue("migrations_dir"));
  await writeFile(
    configPath,
    JSON.stringify({
      name: "verifyid-local-d1",
      compatibility_date: tomlValue("compatibility_date"),
      d1_databases: [{ binding: "DB", database_name: tomlValue("database_name"), database_id: tomlValue("database_id") }],
    }),
  );
  // wrangler keeps its state in `<persist-to>/v3`; getPlatformProxy takes that folder itself.
  const persist = { path: join(persistTo ?? join(root, ".wrangler", "state"), "v3") };
  const proxy = await getPlatformProxy<{ DB: D1Database }>({ configPath, persist });
  try {
    const db = proxy.env.DB;
    await db
      .prepare(
        "CREATE TABLE IF NOT EXISTS d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)",
      )
      .run();
    const applied = new Set((await db.prepare("SELECT name FROM d1_migrations").all<{ name: string }>()).results.map((r) => r.name));
    const files = (await readdir(migrationsDir)).filter((f) => f.endsWith(".sql")).sort();
    const pending = files.filter((f) => !applied.has(f));
    for (const name of pending) {
      const queries = unstable_splitSqlQuery(readFileSync(join(migrationsDir, name), "utf8")).map((q) => db.prepare(q));
      await db.batch([...queries, db.prepare("INSERT INTO d1_migrations (name) VALUES (?)").bind(name)]);
    }
    log(pending.length ? `  applied ${pending.length} D1 migrations (${pending.at(-1)})` : `  D1 schema up to date (${files.at(-1)})`);
    const added = await seedDemoData(db);
    log(added ? `  added ${added} demo users` : "  demo data already present");
  } finally {
    await proxy.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

// The production build whoever starts it: under vitest (the browser tests) NODE_ENV is "test",
// which would make vite ship preact's devtools and dev checks.
const uiBuildEnv = { ...childEnv, NODE_ENV: "production" };
const buildUi = (log: (line: string) => void) =>
  run("vite", ["build", "--config", "ui/vite.config.ts", "--logLevel", "warn"], log, uiBuildEnv);

/** The value of `--name value` or `--name=value` in `args`, if given. */
function flagValue(args: readonly string[], name: string): string | undefined {
  for (const [i, arg] of args.entries()) {
    if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
    if (arg === name) return args[i + 1];
  }
  return undefined;
}

/** Polls `/api/v1/health` until it answers (its status), wrangler exits, or the time is up. */
async function waitForHealth(url: string, exited: Promise<number | null>, timeoutMs: number): Promise<string> {
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone !== undefined) throw new Error(`wrangler dev exited with ${gone} before ${url} was ready`);
    const status = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(5_000) }).then(
      async (res) => (res.ok ? String(((await res.json()) as { status?: unknown }).status ?? "ok") : null),
      () => null,
    );
    if (status) return status;
    await sleep(200);
  }
  throw new Error(`${url}/api/v1/health did not answer within ${timeoutMs} ms`);
}

/**
 * The local replica shares the master's chain, and a replica with an empty chain says
 * "syncing" (as a real one does before its first block), which health reports as degraded.
 * One genesis record makes the fresh local chain what a real one always is: not empty.
 */
async function writeGenesis(masterUrl: string) {
  const hash = createHash("sha256").update("verifyid local chain genesis").digest("hex");
  const res = await fetch(`${masterUrl}/api/chain/hash/submit`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ hash, hash_type: "genesis", metadata: { note: "local development chain" } }),
  });
  if (!res.ok) throw new Error(`the local Thronos master refused the genesis record: ${res.status}`);
}

// wrangler dev's start-up lines that say nothing a developer needs here (ANSI colours removed):
// the banner, the bindings table, "Ready on" (the ready block says it), the cron note (the
// ready block says it), and the requests of the health poll itself.
const STARTUP_NOISE = [
  /^\s*$/,
  /^\s*⛅️ wrangler/,
  /^─+$/,
  /^Using secrets defined in \.dev\.vars/,
  /^Your Worker has access to the following bindings:/,
  /^Binding\s+Resource/,
  /^env\.\S+/,
  /^⎔ /,
  /^\[wrangler:info\] (Ready on|✨ Parsed|- https?:\/\/)/,
  /Scheduled Workers are not automatically triggered/,
  /^\s*To manually trigger a scheduled event/,
  /^\s*curl ".*\/cdn-cgi\/(local|handler)\/scheduled"/,
  /^\s*For more details, see .*cron-triggers/,
  /GET \/api\/v1\/health/,
  /"route":"\/api\/v1\/health"/,
];

const plain = (line: string) => line.replace(/\x1b\[[0-9;]*m/g, "");

/** URL host for an `--ip` value (IPv6 in brackets). */
const hostFor = (ip: string) => (ip.includes(":") ? `[${ip}]` : ip);

/** Everything before `wrangler dev`: local vars, migrations, demo data and the dashboard build.
 * Also used on its own by `npm run bench`, which runs the Worker through Miniflare directly. */
export async function prepareLocalStack(options: Pick<LocalStackOptions, "persistTo" | "output" | "log"> = {}): Promise<void> {
  const log = options.log ?? ((line: string) => console.log(line));
  ensureDevVars(log);
  await Promise.all([prepareDatabase(options.persistTo, log), buildUi(log)]);
}

/** Runs the local stack and resolves once the API answers; see LocalStackOptions. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const output = options.output ?? "inherit";
  const log = options.log ?? ((line: string) => console.log(line));
  const given = options.devArgs ?? [];
  const persistArgs = options.persistTo ? ["--persist-to", options.persistTo] : [];
  const port = options.port ?? Number(flagValue(given, "--port") ?? 8787);
  const ip = flagValue(given, "--ip") ?? "localhost";
  const inspectorPort = Number(flagValue(given, "--inspector-port") ?? (await freePort()));
  const devArgs = [
    ...(flagValue(given, "--port") ? [] : ["--port", String(port)]),
    ...(flagValue(given, "--inspector-port") ? [] : ["--inspector-port", String(inspectorPort)]),
    ...persistArgs,
    ...given,
  ];
  log("VerifyID Edge is starting: database, dashboard build and local Thronos node…");

  ensureDevVars(log);
  const devVars = readFileSync(join(root, ".dev.vars"), "utf8");
  const [thronos] = await Promise.all([
    startForWranglerDev(devArgs, process.env, devVars, options.thronosPortBase).then(async (t) => {
      if (t.node) await writeGenesis(t.node.masterUrl);
      return t;
    }),
    prepareDatabase(options.persistTo, log),
    buildUi(log),
  ]);
  log(thronos.summary);

  // Watch mode: vite rebuilds ui/dist on change; wrangler dev serves the new files on reload.
  const uiWatch = options.watchUi
    ? spawn("vite", ["build", "--watch", "--config", "ui/vite.config.ts", "--logLevel", "warn"], {
        cwd: root,
        stdio: output === "inherit" ? "inherit" : "ignore",
        env: uiBuildEnv,
      })
    : null;

  log("Starting wrangler dev…");
  // The local node's URLs come first so that the developer's own --var flags win. A piped
  // wrangler in "pipe" mode runs in its own process group so that stop() also ends the
  // workerd it starts; under `npm start` it stays in the terminal's group, so Ctrl+C reaches it.
  // Local webhook receivers listen on http://127.0.0.1 (README "For client apps").
  const localVars = ["--var", "WEBHOOK_ALLOW_PRIVATE_URLS:true"];
  const dev: ChildProcess = spawn("wrangler", ["dev", ...thronos.varArgs, ...localVars, ...devArgs], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: childEnv,
    detached: output === "pipe",
  });
  let ready = false;
  const show = output === "inherit" ? (line: string) => console.log(line) : log;
  for (const stream of [dev.stdout, dev.stderr]) {
    stream?.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().trimEnd().split("\n")) {
        if (!ready && STARTUP_NOISE.some((noise) => noise.test(plain(line)))) continue;
        show(line);
      }
    });
  }
  const exited = new Promise<number | null>((done) => dev.on("exit", (code) => done(code)));
  void exited.then(() => {
    uiWatch?.kill();
    return thronos.node?.close();
  });

  async function stop(signal: NodeJS.Signals = "SIGTERM") {
    if (dev.exitCode === null && dev.signalCode === null) {
      if (output === "pipe" && dev.pid) process.kill(-dev.pid, signal);
      else dev.kill(signal);
    }
    await exited;
    await thronos.node?.close();
  }

  const wildcard = ip === "0.0.0.0" || ip === "::" || ip === "*";
  const url = `http://${wildcard ? "localhost" : hostFor(ip)}:${port}`;
  const otherUrls = wildcard
    ? Object.values(networkInterfaces())
        .flat()
        .filter((a) => a && !a.internal && (ip === "0.0.0.0" ? a.family === "IPv4" : true))
        .map((a) => `http://${hostFor(a!.address)}:${port}`)
    : [];
  let health: string;
  try {
    health = await waitForHealth(wildcard ? `http://127.0.0.1:${port}` : url, exited, options.readyTimeoutMs ?? 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  ready = true;
  return {
    url,
    otherUrls,
    inspectorUrl: `ws://127.0.0.1:${inspectorPort}`,
    thronos: thronos.summary.trim(),
    health,
    readySeconds: process.uptime(),
    exited,
    stop,
  };
}

/** `npm start`'s arguments: its own `--thronos-port-base N`, and the rest for `wrangler dev`. */
export function splitStartArgs(args: readonly string[]): { devArgs: string[]; thronosPortBase?: number } {
  const devArgs: string[] = [];
  let thronosPortBase: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--thronos-port-base") thronosPortBase = Number(args[++i]);
    else if (arg.startsWith("--thronos-port-base=")) thronosPortBase = Number(arg.slice("--thronos-port-base=".length));
    else devArgs.push(arg);
  }
  if (thronosPortBase !== undefined && !(Number.isInteger(thronosPortBase) && thronosPortBase > 0 && thronosPortBase < 65533))
    throw new Error("--thronos-port-base needs a port number");
  return thronosPortBase === undefined ? { devArgs } : { devArgs, thronosPortBase };
}

/** What `npm start` and `npm run dev` print once the API answers: one block, all a developer needs. */
export function readyBlock(stack: LocalStack, extra: string[] = []): string {
  const seconds = stack.readySeconds.toFixed(1);
  return [
    "",
    `✔ VerifyID Edge is ready after ${seconds} s (health: ${stack.health})`,
    "",
    `  Dashboard   ${stack.url}/`,
    ...stack.otherUrls.map((u) => `              ${u}/`),
    `  API docs    ${stack.url}/docs`,
    `  Health      ${stack.url}/api/v1/health`,
    `  Inspector   ${stack.inspectorUrl} (chrome://inspect, or --inspector-port N)`,
    `  Thronos     ${stack.thronos.replace(/^local Thronos node: /, "local node: ")}`,
    "",
    "  Demo accounts, password demo-password:",
    "    customer1@demo.test … customer5@demo.test   customer (phone-first page)",
    "    agent1@demo.test … agent5@demo.test         KYC agent desk",
    "    manager@demo.test, it@demo.test             operations",
    "    manager@acme.test, agent1@acme.test, customer1@acme.test   second tenant",
    "",
    `  Cron triggers do not fire locally: curl ${stack.url}/cdn-cgi/local/scheduled runs one.`,
    ...extra,
    "  Stop with Ctrl+C.",
    "",
  ].join("\n");
}

/** A TCP port nothing listens on right now (127.0.0.1). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? done(address.port) : fail(new Error("no port"))));
    });
  });
}
