// `npm start`: the whole system locally, offline, with no prompts. Applies the D1 migrations,
// creates the demo tenants and users, builds the dashboard, starts the local Thronos node
// (unless THRONOS_* URLs are given) and runs `wrangler dev`. Arguments after `--` go to
// `wrangler dev` unchanged, e.g. `npm start -- --port 9000 --var OFFER_TIMEOUT_SECONDS:15`.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, appendFileSync } from "node:fs";
import { generateKeyPairSync } from "node:crypto";
import { getPlatformProxy } from "wrangler";
import { startForWranglerDev } from "../thronos-node/server.ts";
import { seedDemoData } from "../worker/demo/seed.ts";

const devArgs = process.argv.slice(2);
const childEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: process.env.CI ?? "" };

function step(message: string) {
  console.log(`\n▶ ${message}`);
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"], env: childEnv });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`))));
  });
}

/** First start: copy the example vars and generate this machine's own audit signing key. */
function ensureDevVars() {
  if (!existsSync(".dev.vars")) {
    copyFileSync(".dev.vars.example", ".dev.vars");
    console.log("  created .dev.vars from .dev.vars.example");
  }
  if (!/^AUDIT_SIGNING_KEY=/m.test(readFileSync(".dev.vars", "utf8"))) {
    const { privateKey } = generateKeyPairSync("ed25519");
    const pkcs8 = privateKey.export({ format: "der", type: "pkcs8" }).toString("base64");
    appendFileSync(".dev.vars", `\n# Ed25519 key (PKCS#8, base64) that signs audit checkpoints; generated on first start.\nAUDIT_SIGNING_KEY=${pkcs8}\n`);
    console.log("  generated a local AUDIT_SIGNING_KEY in .dev.vars");
  }
}

async function seed() {
  const proxy = await getPlatformProxy<Env>({ configPath: "wrangler.toml", persist: true });
  try {
    const added = await seedDemoData(proxy.env.DB);
    console.log(added ? `  added ${added} demo users` : "  demo data already present");
  } finally {
    await proxy.dispose();
  }
}

step("Local settings");
ensureDevVars();
step("Applying D1 migrations (local)");
await run("wrangler", ["d1", "migrations", "apply", "DB", "--local"]);
step("Demo tenants and users");
await seed();
step("Building the dashboard");
await run("vite", ["build", "--config", "ui/vite.config.ts", "--logLevel", "warn"]);

step("Thronos nodes");
const thronos = await startForWranglerDev(devArgs, process.env, readFileSync(".dev.vars", "utf8"));
console.log(thronos.summary);

step("Starting wrangler dev");
// The local node's URLs come first so that the developer's own --var flags win.
const dev = spawn("wrangler", ["dev", ...thronos.varArgs, ...devArgs], { stdio: "inherit", env: childEnv });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => dev.kill(signal));
dev.on("exit", async (code) => {
  await thronos.node?.close();
  process.exit(code ?? 0);
});
