// `npm run thronos-node [-- --port-base N] [--ai-key KEY]`: the local Thronos node set on its own,
// e.g. to point a `wrangler dev` started by hand at it, or to poke it with curl.
import { parseArgs } from "node:util";
import { DEFAULT_AI_KEY, startLocalThronos } from "./server.ts";

const { values } = parseArgs({
  options: { "port-base": { type: "string" }, "ai-key": { type: "string" }, host: { type: "string" } },
});
const portBase = values["port-base"] === undefined ? undefined : Number(values["port-base"]);
if (portBase !== undefined && (!Number.isInteger(portBase) || portBase < 1 || portBase > 65532)) {
  console.error("--port-base must be a port number (the node set uses it and the next three)");
  process.exit(2);
}

const node = await startLocalThronos({
  portBase,
  host: values.host,
  aiKey: values["ai-key"] ?? process.env.THRONOS_AI_KEY ?? DEFAULT_AI_KEY,
});
console.log(`Local Thronos node set (THRONOS.md)
  master   ${node.masterUrl}
  replica  ${node.replicaUrl}   (read-only, shares the master's chain)
  ai_core  ${node.aiUrl}   (key: ${node.aiKey})
  control  ${node.controlUrl}   (GET /state, POST /faults, POST /reset)

wrangler dev --var THRONOS_MASTER_URL:${node.masterUrl} --var THRONOS_REPLICA_URL:${node.replicaUrl} --var THRONOS_AI_URL:${node.aiUrl}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => void node.close().then(() => process.exit(0)));
}
