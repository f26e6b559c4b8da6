// `npm run check:deploy`: what `wrangler deploy` would upload, built without a login or the
// network (`--dry-run --outdir`), for production and staging; prints the Worker's size and gzip
// size and fails when the build fails or the gzip size passes the budget in deploy-budget.json.
// Raise the budget deliberately (a commit that says why), never to make a check pass unseen.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const root = resolve(import.meta.dirname, "..");
const bin = join(root, "node_modules", ".bin");
const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`, WRANGLER_SEND_METRICS: "false", CI: "true" };
const budget = JSON.parse(readFileSync(join(root, "deploy-budget.json"), "utf8")) as { gzipKiB: number };

function run(command: string, args: string[]): { ok: boolean; output: string } {
  const r = spawnSync(command, args, { cwd: root, env, encoding: "utf8" });
  return { ok: r.status === 0, output: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

// The dashboard's assets must exist for the assets binding; build them once when missing.
if (!existsSync(join(root, "ui", "dist", "index.html"))) {
  const ui = run("npm", ["run", "-s", "build:ui"]);
  if (!ui.ok) {
    console.error(ui.output);
    process.exit(1);
  }
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);
let failed = false;
for (const environment of ["production", "staging"]) {
  const outdir = mkdtempSync(join(tmpdir(), "verifyid-deploy-"));
  try {
    const args = ["deploy", "--dry-run", "--outdir", outdir, "--env", environment === "staging" ? "staging" : ""];
    const build = run("wrangler", args);
    if (!build.ok) {
      console.error(`wrangler ${args.join(" ")} failed:\n${build.output}`);
      failed = true;
      continue;
    }
    const files = readdirSync(outdir).filter((f) => f.endsWith(".js"));
    const bytes = files.reduce((sum, f) => sum + statSync(join(outdir, f)).size, 0);
    const gzip = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(outdir, f))).length, 0);
    const over = gzip / 1024 > budget.gzipKiB;
    console.log(
      `${environment}: worker ${kib(bytes)} KiB, ${kib(gzip)} KiB gzip (budget ${budget.gzipKiB} KiB gzip)${over ? " — OVER BUDGET" : ""}`,
    );
    if (over) failed = true;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
process.exit(failed ? 1 : 0);
