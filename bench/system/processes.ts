// Small process helpers for the system starters: free ports, running a tool to completion,
// and a readiness poll.
export { freePort } from "../../scripts/local-stack.ts";
import { spawn } from "node:child_process";
import { delimiter, join, resolve } from "node:path";
import { sleep } from "../lib/clock.ts";

export const ROOT = resolve(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "node_modules", ".bin");
/** The project's own node (Node 22) and tools first, as `npm run` would have it. */
export const TOOL_ENV = { ...process.env, PATH: `${BIN}${delimiter}${process.env.PATH ?? ""}`, WRANGLER_SEND_METRICS: "false" };

/** Runs a project tool (node_modules/.bin first) to completion; its output goes to `log` only when it fails. */
export function runTool(command: string, args: string[], log: (line: string) => void): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: TOOL_ENV });
    let out = "";
    child.stdout.on("data", (c: Buffer) => void (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => void (out += c.toString()));
    child.on("error", fail);
    child.on("exit", (code) => {
      if (code === 0) return done();
      log(out);
      fail(new Error(`${command} ${args.join(" ")} exited with ${code}`));
    });
  });
}

/** Polls `url` until it answers 2xx, or throws after `timeoutMs`. */
export async function waitForOk(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
      async (res) => (await res.arrayBuffer(), res.ok),
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}
