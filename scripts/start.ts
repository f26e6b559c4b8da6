// `npm start`: the whole system locally, offline, with no prompts (see local-stack.ts).
// Arguments after `--` go to `wrangler dev` unchanged, e.g.
// `npm start -- --port 9000 --ip 0.0.0.0 --inspector-port 9230 --var OFFER_TIMEOUT_SECONDS:15`;
// one is this script's own: `--thronos-port-base N` puts the local Thronos node set on ports
// N … N+3 (free ones otherwise; the ready block prints them).
import { readyBlock, splitStartArgs, startLocalStack } from "./local-stack.ts";

const { devArgs, thronosPortBase } = splitStartArgs(process.argv.slice(2));
// No start-up deadline: like plain `wrangler dev`, it runs until it exits or is stopped.
const stack = await startLocalStack({ devArgs, thronosPortBase, readyTimeoutMs: Number.POSITIVE_INFINITY });
console.log(readyBlock(stack));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stack.stop(signal));
process.exit((await stack.exited) ?? 0);
