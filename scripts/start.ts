// `npm start`: the whole system locally, offline, with no prompts (see local-stack.ts).
// Arguments after `--` go to `wrangler dev` unchanged, e.g.
// `npm start -- --port 9000 --var OFFER_TIMEOUT_SECONDS:15`.
import { startLocalStack } from "./local-stack.ts";

// No start-up deadline: like plain `wrangler dev`, it runs until it exits or is stopped.
const stack = await startLocalStack({ devArgs: process.argv.slice(2), readyTimeoutMs: Number.POSITIVE_INFINITY });
console.log(`\n✔ VerifyID Edge is running at ${stack.url}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stack.stop(signal));
process.exit((await stack.exited) ?? 0);
