// `npm run bench:profile -- <kind> [--n N] [--dashboards D]`: a CPU profile of the Worker's isolate
// (every Durable Object of the Worker runs in it too) while one kind of request is repeated, one at a
// time, on the direct runner (Miniflare, no proxy). Writes a `.cpuprofile` (open it in Chrome's
// DevTools) and prints where the time went: self time by function and by source file.
// Kinds: health, heartbeat, submit (an enqueue), cycle (submit, offer, accept, start, complete).
import { writeFile } from "node:fs/promises";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { deal } from "./lib/api.ts";
import { Fleet } from "./lib/fleet.ts";
import type { SequenceCommand } from "./roles/sequence.ts";
import { Accounts, prepareVerifications } from "./system/accounts.ts";
import { freePort, ROOT } from "./system/processes.ts";
import { startSystem } from "./system/system.ts";
import { startThronos } from "./system/thronos.ts";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

/** A minimal Chrome DevTools Protocol session over workerd's inspector socket. */
async function inspector(port: number) {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { webSocketDebuggerUrl: string; id: string }[];
  const target = targets.find((t) => t.id.includes("verifyid")) ?? targets[0]!;
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((done, fail) => {
    ws.addEventListener("open", done);
    ws.addEventListener("error", fail);
  });
  let next = 1;
  const waiting = new Map<number, (v: unknown) => void>();
  ws.addEventListener("message", (e: { data: unknown }) => {
    const msg = JSON.parse(String(e.data)) as { id?: number; result?: unknown };
    if (msg.id && waiting.has(msg.id)) waiting.get(msg.id)!(msg.result);
  });
  return {
    send<T>(method: string, params: object = {}): Promise<T> {
      const id = next++;
      ws.send(JSON.stringify({ id, method, params }));
      return new Promise((done) => waiting.set(id, done as (v: unknown) => void));
    },
    close: () => ws.close(),
  };
}

/** Self time per function and per file, in ms, most first. */
export function selfTimes(profile: Profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  for (const [id, ms] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = `${functionName || "(anonymous)"} ${url.split("/").pop() ?? ""}:${lineNumber + 1}`;
    fn.set(name, (fn.get(name) ?? 0) + ms);
    const f = url ? url.split("/").pop()! : functionName;
    file.set(f, (file.get(f) ?? 0) + ms);
  }
  // Inclusive time of the Worker's own functions: each sample counts once for every distinct
  // function on its stack (so recursion is not counted twice).
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const [id, ms] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = byId.get(at)!.callFrame;
      if (!url.endsWith("index.js")) continue;
      seen.add(`${functionName || "(anonymous)"}:${lineNumber + 1}`);
    }
    for (const name of seen) inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    functions: sorted(fn),
    files: sorted(file),
    inclusive: sorted(inclusive),
    totalMs: [...self.values()].reduce((a, b) => a + b, 0),
  };
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      n: { type: "string", default: "200" },
      dashboards: { type: "string", default: "0" },
      top: { type: "string", default: "30" },
    },
  });
  const kind = positionals[0] ?? "submit";
  const n = Number(values.n);
  const thronos = await startThronos();
  const persistTo = await mkdtemp(join(tmpdir(), "verifyid-profile-"));
  const inspectorPort = await freePort();
  const system = await startSystem("direct", { persistTo, thronos, log: () => {}, inspectorPort });
  const url = system.url;
  const fleets: Fleet[] = [];
  try {
    const accounts = new Accounts(url);
    const manager = await accounts.manager();
    const [agent] = await accounts.agents(1);
    const customers = await accounts.customers(20);
    const items = kind === "submit" || kind === "cycle" ? await prepareVerifications(url, customers, n) : [];
    const cmd: SequenceCommand =
      kind === "health"
        ? { op: "get", url: `${url}/api/v1/health`, n }
        : kind === "heartbeat"
          ? { op: "post", baseUrl: url, path: "/agents/heartbeat", token: agent!.token, json: { device_connected: true }, n }
          : kind === "cycle"
            ? { op: "cycles", baseUrl: url, agent: { id: agent!.id, token: agent!.token }, items }
            : { op: "submit", baseUrl: url, items };
    const fleet = await Fleet.start([{ role: "sequence", params: {} }]);
    fleets.push(fleet);
    const dashboards = Number(values.dashboards);
    if (dashboards) {
      const watchers = await Fleet.start(
        deal(
          Array.from({ length: dashboards }, (_, j) => j),
          4,
        ).map((share) => ({ role: "dashboards" as const, params: { baseUrl: url, token: manager.token, count: share.length } })),
      );
      fleets.push(watchers);
      watchers.go(0);
    }
    // Warm up (JIT, first D1 statements), then profile.
    await fleet.command(0, { op: "get", url: `${url}/api/v1/health`, n: 5 });
    const cdp = await inspector(inspectorPort);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
    await cdp.send("Profiler.start");
    const started = performance.now();
    const out = await fleet.command<{ requests: number; failures: number }>(0, cmd);
    const wallMs = performance.now() - started;
    const { profile } = await cdp.send<{ profile: Profile }>("Profiler.stop");
    cdp.close();
    const file = join(ROOT, "bench", "results", `profile-${kind}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    const { functions, files, inclusive, totalMs } = selfTimes(profile);
    const idle = functions.filter(([f]) => f.startsWith("(idle)")).reduce((s, [, ms]) => s + ms, 0);
    const units = kind === "cycle" ? items.length : out.requests;
    const busy = totalMs - idle;
    console.log(`${kind}: ${out.requests} requests (${out.failures} failed) in ${Math.round(wallMs)} ms wall`);
    console.log(`isolate busy ${busy.toFixed(0)} ms = ${(busy / units).toFixed(2)} ms per ${kind === "cycle" ? "cycle" : "request"}`);
    const top = Number(values.top);
    console.log("\nself time by file (ms per unit):");
    for (const [f, ms] of files.filter(([f]) => f !== "(idle)").slice(0, 12)) console.log(`  ${(ms / units).toFixed(3).padStart(8)}  ${f}`);
    console.log("\nself time by function (ms per unit):");
    for (const [f, ms] of functions.filter(([f]) => !f.startsWith("(idle)")).slice(0, top))
      console.log(`  ${(ms / units).toFixed(3).padStart(8)}  ${f}`);
    console.log("\ninclusive time of the Worker's functions (ms per unit):");
    for (const [f, ms] of inclusive.slice(0, top)) console.log(`  ${(ms / units).toFixed(3).padStart(8)}  ${f}`);
    console.log(`\nprofile: ${file}`);
  } finally {
    for (const f of fleets) {
      f.stop();
      await f.close();
    }
    await system.stop();
    await thronos.stop();
    await rm(persistTo, { recursive: true, force: true });
  }
}

await main();
