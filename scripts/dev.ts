// `npm run dev`: the same local stack as `npm start` (local Thronos node, migrations, demo data),
// with the dashboard rebuilt on every change and the Worker reloaded by wrangler dev. Save a
// .tsx file and reload the browser; save a Worker file and the next request runs it.
// Arguments after `--` work as with `npm start`.
import { readyBlock, splitStartArgs, startLocalStack } from "./local-stack.ts";

const { devArgs, thronosPortBase } = splitStartArgs(process.argv.slice(2));
const stack = await startLocalStack({ devArgs, thronosPortBase, readyTimeoutMs: Number.POSITIVE_INFINITY, watchUi: true });
console.log(readyBlock(stack, ["  Watching ui/src (rebuilt on save; reload the page) and worker/ (reloaded on the next request)."]));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stack.stop(signal));
process.exit((await stack.exited) ?? 0);
