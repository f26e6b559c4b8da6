// The whole system locally, offline, as one call: used by `npm start` and by the browser
// tests. Applies the D1 migrations, creates the demo tenants and users, builds the dashboard,
// starts the local Thronos node (unless THRONOS_* URLs are given), runs `wrangler dev` and
// waits until `/api/v1/health` answers.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { appendFileSync, copyFileSync, existsSync, readFileSync } from "node:fs";
import { generateKeyPairSync } from "node:crypto";
import { delimiter, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { getPlatformProxy } from "wrangler";
import { startForWranglerDev } from "../thronos-node/server.ts";
import { seedDemoData } from "../worker/demo/seed.ts";

export type LocalStackOptions = {
  /** `wrangler dev --port`; when absent, a `--port` in `devArgs` or wrangler's 8787. */
  port?: number;
  /** Where D1, R2 and Durable Object state live; wrangler's `.wrangler/state` when absent. */
  persistTo?: string;
  /** Extra `wrangler dev` arguments, e.g. `--var OFFER_TIMEOUT_SECONDS:15`. */
  devArgs?: string[];
  /** "inherit" (npm start): wrangler shares this terminal. "pipe": its output goes to `log`. */
  output?: "inherit" | "pipe";
  /** Progress lines, and wrangler's output when `output` is "pipe". */
  log?: (line: string) => void;
  /** How long to wait for `/api/v1/health` before giving up. */
  readyTimeoutMs?: number;
  /** `npm run dev`: rebuild the dashboard on every change (wrangler dev reloads the Worker itself). */
  watchUi?: boolean;
};

export type LocalStack = {
  url: string;
  /** Settles with wrangler dev's exit code when it stops, for whatever reason. */
  exited: Promise<number | null>;
  /** Stops wrangler dev and the local Thronos node. */
  stop(signal?: NodeJS.Signals): Promise<void>;
};

const root = resolve(import.meta.dirname, "..");
const bin = join(root, "node_modules", ".bin");
// The project's own node (Node 22) and tools first, even when started outside `npm run`.
const childEnv = {
  ...process.env,
  PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`,
  WRANGLER_SEND_METRICS: "false",
  CI: process.env.CI ?? "",
};

function run(command: string, args: string[], output: "inherit" | "pipe", log: (line: string) => void): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: root, stdio: ["ignore", output, output], env: childEnv });
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

async function seed(persistTo: string | undefined, log: (line: string) => void) {
  // wrangler keeps its state in `<persist-to>/v3`; getPlatformProxy takes that folder itself.
  const persist = persistTo ? { path: join(persistTo, "v3") } : true;
  const proxy = await getPlatformProxy<Env>({ configPath: join(root, "wrangler.toml"), persist });
  try {
    const added = await seedDemoData(proxy.env.DB);
    log(added ? `  added ${added} demo users` : "  demo data already present");
  } finally {
    await proxy.dispose();
  }
}

/** The port `wrangler dev` will listen on, from its arguments. */
function portOf(devArgs: readonly string[]): number {
  for (const [i, arg] of devArgs.entries()) {
    if (arg.startsWith("--port=")) return Number(arg.slice("--port=".length));
    if (arg === "--port" && devArgs[i + 1]) return Number(devArgs[i + 1]);
  }
  return 8787;
}

/** Polls `/api/v1/health` until it answers, wrangler exits, or the time is up. */
async function waitForHealth(url: string, exited: Promise<number | null>, timeoutMs: number) {
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone !== undefined) throw new Error(`wrangler dev exited with ${gone} before ${url} was ready`);
    const ok = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(5_000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await sleep(250);
  }
  throw new Error(`${url}/api/v1/health did not answer within ${timeoutMs} ms`);
}

/** Everything before `wrangler dev`: local vars, migrations, demo data and the dashboard build.
 * Also used on its own by `npm run bench`, which runs the Worker through Miniflare directly. */
export async function prepareLocalStack(options: Pick<LocalStackOptions, "persistTo" | "output" | "log"> = {}): Promise<void> {
  const output = options.output ?? "inherit";
  const log = options.log ?? ((line: string) => console.log(line));
  const step = (message: string) => log(`\n▶ ${message}`);
  const persistArgs = options.persistTo ? ["--persist-to", options.persistTo] : [];
  step("Local settings");
  ensureDevVars(log);
  step("Applying D1 migrations (local)");
  await run("wrangler", ["d1", "migrations", "apply", "DB", "--local", ...persistArgs], output, log);
  step("Demo tenants and users");
  await seed(options.persistTo, log);
  step("Building the dashboard");
  await run("vite", ["build", "--config", "ui/vite.config.ts", "--logLevel", "warn"], output, log);
}

/** Runs the local stack and resolves once the API answers; see LocalStackOptions. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const output = options.output ?? "inherit";
  const log = options.log ?? ((line: string) => console.log(line));
  const step = (message: string) => log(`\n▶ ${message}`);
  const persistArgs = options.persistTo ? ["--persist-to", options.persistTo] : [];
  const devArgs = [...(options.port ? ["--port", String(options.port)] : []), ...persistArgs, ...(options.devArgs ?? [])];

  // The dashboard's address comes first, so it is the first URL a developer sees.
  log(`VerifyID Edge is starting at http://localhost:${options.port ?? portOf(devArgs)} (the page works once "ready" is printed below)`);
  await prepareLocalStack(options);

  // Watch mode: vite rebuilds ui/dist on change; wrangler dev serves the new files on reload.
  const uiWatch = options.watchUi
    ? spawn("vite", ["build", "--watch", "--config", "ui/vite.config.ts", "--logLevel", "warn"], {
        cwd: root,
        stdio: output === "inherit" ? "inherit" : "ignore",
        env: childEnv,
      })
    : null;

  step("Thronos nodes");
  const thronos = await startForWranglerDev(devArgs, process.env, readFileSync(join(root, ".dev.vars"), "utf8"));
  log(thronos.summary);

  step("Starting wrangler dev");
  // The local node's URLs come first so that the developer's own --var flags win. A piped
  // wrangler runs in its own process group so that stop() also ends the workerd it starts.
  // Local webhook receivers listen on http://127.0.0.1 (README "For client apps").
  const localVars = ["--var", "WEBHOOK_ALLOW_PRIVATE_URLS:true"];
  const dev: ChildProcess = spawn("wrangler", ["dev", ...thronos.varArgs, ...localVars, ...devArgs], {
    cwd: root,
    stdio: output === "inherit" ? "inherit" : ["ignore", "pipe", "pipe"],
    env: childEnv,
    detached: output === "pipe",
  });
  for (const stream of [dev.stdout, dev.stderr]) stream?.on("data", (chunk: Buffer) => log(chunk.toString().trimEnd()));
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

  const url = `http://localhost:${options.port ?? portOf(devArgs)}`;
  try {
    await waitForHealth(url, exited, options.readyTimeoutMs ?? 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, exited, stop };
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
