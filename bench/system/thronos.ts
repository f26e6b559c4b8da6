// The local Thronos node set (THRONOS.md) in a process of its own, so that its CPU is measured
// apart from the bench's parent and the Worker reaches it over real loopback HTTP.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, TOOL_ENV } from "./processes.ts";

export type ThronosNode = { pid: number; masterUrl: string; replicaUrl: string; aiUrl: string; controlUrl: string; stop(): Promise<void> };

/** Starts `thronos-node/main.ts` on ephemeral ports with the AI key the Worker has in .dev.vars. */
export async function startThronos(): Promise<ThronosNode> {
  const devVars = readFileSync(join(ROOT, ".dev.vars"), "utf8");
  const aiKey = /^THRONOS_AI_KEY=(.*)$/m.exec(devVars)?.[1]?.trim() ?? "dev-only-ai-key";
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, "thronos-node", "main.ts"), "--ai-key", aiKey], {
    cwd: ROOT,
    env: TOOL_ENV,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  const urls = await new Promise<Record<string, string>>((done, fail) => {
    child.once("exit", (code) => fail(new Error(`the Thronos node exited with ${code}: ${out}`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const found = Object.fromEntries(
        ["master", "replica", "ai_core", "control"].map((role) => [role, new RegExp(`^\\s*${role}\\s+(http://\\S+)`, "m").exec(out)?.[1]]),
      );
      if (Object.values(found).every(Boolean)) done(found as Record<string, string>);
    });
  });
  return {
    pid: child.pid!,
    masterUrl: urls.master!,
    replicaUrl: urls.replica!,
    aiUrl: urls.ai_core!,
    controlUrl: urls.control!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((done) => child.once("exit", done));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
