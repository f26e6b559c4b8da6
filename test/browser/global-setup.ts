// Starts the local stack once for every browser test: a fresh persist directory (so demo data
// and queues start empty), a free port, and wrangler's output kept quiet unless it fails
// (VERIFYID_STACK_LOG=1 streams it).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { freePort, startLocalStack } from "../../scripts/local-stack.ts";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const persistTo = await mkdtemp(join(tmpdir(), "verifyid-browser-"));
  const lines: string[] = [];
  const log = (line: string) => {
    if (process.env.VERIFYID_STACK_LOG) console.log(line);
    lines.push(line);
    if (lines.length > 400) lines.shift();
  };
  const [port, inspectorPort] = [await freePort(), await freePort()];
  let stack;
  try {
    stack = await startLocalStack({
      port,
      persistTo,
      output: "pipe",
      log,
      // Every browser test signs in from 127.0.0.1, many times a minute when the machine is
      // quick: the sign-in limits (proven in test/limits/) are raised by vars, as a bench would.
      devArgs: [
        "--inspector-port",
        String(inspectorPort),
        "--var",
        "RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE:10000",
        "--var",
        "RATE_LIMIT_LOGIN_PER_EMAIL_PER_MINUTE:10000",
      ],
      readyTimeoutMs: 120_000,
    });
  } catch (err) {
    console.error(lines.join("\n"));
    await rm(persistTo, { recursive: true, force: true });
    throw err;
  }
  project.provide("baseUrl", stack.url);
  return async () => {
    await stack.stop();
    await rm(persistTo, { recursive: true, force: true });
  };
}
