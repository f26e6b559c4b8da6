// `npm run dev`: the same local stack as `npm start` (local Thronos node, migrations, demo data),
// with the dashboard rebuilt on every change and the Worker reloaded by wrangler dev. Save a
// .tsx file and reload the browser; save a Worker file and the next request runs it.
// Arguments after `--` go to `wrangler dev`, as with `npm start`.
import { startLocalStack } from "./local-stack.ts";

const stack = await startLocalStack({ devArgs: process.argv.slice(2), readyTimeoutMs: Number.POSITIVE_INFINITY, watchUi: true });
console.log(`\n✔ VerifyID Edge is running at ${stack.url} (watching ui/src and worker/)`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stack.stop(signal));
process.exit((await stack.exited) ?? 0);
