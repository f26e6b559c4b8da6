// `npm run soak -- [flags]`: every size is a flag; one table drives parsing and `--help`.
import { parseArgs } from "node:util";
import { RUNNERS, UsageError, type Runner } from "../lib/options.ts";
import { FAULT_MODES, NODE_ROLES, type FaultMode, type NodeRole } from "../../thronos-node/faults.ts";

type Kind = "int" | "share" | "rate" | "range" | "faults" | "string" | "flag";
type Spec = { kind: Kind; default: string; help: string };

const FLAGS = {
  minutes: { kind: "int", default: "10", help: "minutes of mixed traffic (then the drain and the checks)" },
  rate: { kind: "int", default: "30", help: "customer flows (verification, documents, submit, call) a minute" },
  agents: { kind: "int", default: "8", help: "agents online, each on a staff socket" },
  customers: { kind: "int", default: "6", help: "customer accounts the flows take turns with" },
  dashboards: { kind: "int", default: "3", help: "manager dashboard sockets (streams=calls)" },
  clients: { kind: "int", default: "1", help: "client processes for the agents, and as many for the customers" },
  documents: { kind: "range", default: "1,2", help: "documents uploaded per verification (min,max)" },
  "cancel-share": { kind: "share", default: "0.15", help: "share of customers who cancel their call" },
  "cancel-after-ms": { kind: "range", default: "1000,20000", help: "how long a cancelling customer waits first (min,max)" },
  "reject-share": { kind: "share", default: "0.1", help: "share of offers an agent rejects" },
  "ignore-share": { kind: "share", default: "0.03", help: "share of offers an agent lets expire" },
  "hold-ms": { kind: "range", default: "2000,8000", help: "how long an agent talks between start and complete (min,max)" },
  "beat-seconds": { kind: "int", default: "10", help: "each agent beats over its socket this often" },
  "hb-http-rate": { kind: "rate", default: "0.5", help: "HTTP heartbeats a second (POST /agents/heartbeat), agents in turn" },
  faults: {
    kind: "faults",
    default: "master:refuse,master:error,master:slow,ai_core:error,ai_core:slow,replica:refuse",
    help: "fault windows on the local Thronos node, node:mode, in turn (empty: none)",
  },
  "fault-seconds": { kind: "int", default: "20", help: "how long each fault window lasts" },
  "fault-every-seconds": { kind: "int", default: "60", help: "a fault window opens this often (the first half a period in)" },
  "slow-ms": { kind: "int", default: "5000", help: "delay of a slow node (more than the Worker's timeouts)" },
  "cron-seconds": { kind: "int", default: "60", help: "the minute cron (sweep) is triggered this often" },
  "drain-seconds": { kind: "int", default: "300", help: "longest wait, after the traffic, for calls, queues and anchors to settle" },
  runner: { kind: "string", default: "direct", help: `direct (Miniflare's API) or wrangler (wrangler dev)` },
  seed: { kind: "int", default: "1", help: "seed of every random choice (rejects, cancels, decisions)" },
  out: { kind: "string", default: "bench/results/soak-latest.json", help: "where the report goes" },
  persist: { kind: "string", default: "", help: "state directory to use (and keep); a fresh temporary one when empty" },
  log: { kind: "flag", default: "false", help: "stream wrangler/Miniflare output" },
  help: { kind: "flag", default: "false", help: "this text" },
} satisfies Record<string, Spec>;

export type FaultSpec = { node: NodeRole; mode: FaultMode };
type Range = [number, number];

export type SoakOptions = {
  minutes: number;
  rate: number;
  agents: number;
  customers: number;
  dashboards: number;
  clients: number;
  documents: Range;
  cancelShare: number;
  cancelAfterMs: Range;
  rejectShare: number;
  ignoreShare: number;
  holdMs: Range;
  beatSeconds: number;
  hbHttpRate: number;
  faults: FaultSpec[];
  faultSeconds: number;
  faultEverySeconds: number;
  slowMs: number;
  cronSeconds: number;
  drainSeconds: number;
  runner: Runner;
  seed: number;
  out: string;
  persist: string;
  log: boolean;
  help: boolean;
};

/** Parses `argv` (the arguments after `--`); throws UsageError on anything unknown or malformed. */
export function parseSoakOptions(argv: string[]): SoakOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: Object.fromEntries(
        Object.entries(FLAGS).map(([name, spec]) => [name, { type: spec.kind === "flag" ? ("boolean" as const) : ("string" as const) }]),
      ),
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const raw = (name: keyof typeof FLAGS) => (values[name] === undefined ? FLAGS[name].default : String(values[name]));
  const whole = (name: keyof typeof FLAGS, value = raw(name), min = 0) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number ≥ ${min}, not "${value}"`);
    return n;
  };
  const share = (name: keyof typeof FLAGS) => {
    const n = Number(raw(name));
    if (!(n >= 0 && n <= 1)) throw new UsageError(`--${name} must be between 0 and 1, not "${raw(name)}"`);
    return n;
  };
  const range = (name: keyof typeof FLAGS): Range => {
    const parts = raw(name).split(",");
    const [min, max] = parts.map((p) => whole(name, p));
    if (parts.length !== 2 || min! > max!) throw new UsageError(`--${name} must be min,max with min ≤ max, not "${raw(name)}"`);
    return [min!, max!];
  };
  const faults = raw("faults")
    .split(",")
    .filter(Boolean)
    .map((item) => {
      const [node, mode] = item.split(":");
      if (!NODE_ROLES.includes(node as NodeRole) || !FAULT_MODES.includes(mode as FaultMode) || mode === "ok")
        throw new UsageError(`--faults: "${item}" is not node:mode (nodes ${NODE_ROLES.join(", ")}; modes ${FAULT_MODES.join(", ")})`);
      return { node: node as NodeRole, mode: mode as FaultMode };
    });
  const runner = raw("runner") as Runner;
  if (!RUNNERS.includes(runner)) throw new UsageError(`--runner must be one of ${RUNNERS.join(", ")}`);
  const hbHttpRate = Number(raw("hb-http-rate"));
  if (!(hbHttpRate >= 0)) throw new UsageError(`--hb-http-rate must be a number ≥ 0`);
  const options: SoakOptions = {
    minutes: whole("minutes", raw("minutes"), 1),
    rate: whole("rate", raw("rate"), 1),
    agents: whole("agents", raw("agents"), 1),
    customers: whole("customers", raw("customers"), 1),
    dashboards: whole("dashboards"),
    clients: whole("clients", raw("clients"), 1),
    documents: range("documents"),
    cancelShare: share("cancel-share"),
    cancelAfterMs: range("cancel-after-ms"),
    rejectShare: share("reject-share"),
    ignoreShare: share("ignore-share"),
    holdMs: range("hold-ms"),
    beatSeconds: whole("beat-seconds", raw("beat-seconds"), 1),
    hbHttpRate,
    faults,
    faultSeconds: whole("fault-seconds", raw("fault-seconds"), 1),
    faultEverySeconds: whole("fault-every-seconds", raw("fault-every-seconds"), 1),
    slowMs: whole("slow-ms"),
    cronSeconds: whole("cron-seconds", raw("cron-seconds"), 1),
    drainSeconds: whole("drain-seconds", raw("drain-seconds"), 1),
    runner,
    seed: whole("seed"),
    out: raw("out"),
    persist: raw("persist"),
    log: raw("log") === "true",
    help: raw("help") === "true",
  };
  if (options.rejectShare + options.ignoreShare > 1) throw new UsageError("--reject-share plus --ignore-share must be at most 1");
  if (options.faultSeconds >= options.faultEverySeconds) throw new UsageError("--fault-seconds must be less than --fault-every-seconds");
  return options;
}

/** `--help`: every flag with its default. */
export function soakHelpText(): string {
  const lines = Object.entries(FLAGS as Record<string, Spec>).map(([name, spec]) => {
    const arg = { int: " N", share: " P", rate: " R", range: " MIN,MAX", faults: " NODE:MODE,…", string: " VALUE", flag: "" }[spec.kind];
    const dflt = spec.kind === "flag" ? "" : ` (default ${spec.default || "none"})`;
    return `  ${`--${name}${arg}`.padEnd(28)} ${spec.help}${dflt}`;
  });
  return `npm run soak -- [flags]   (see bench/README.md, "The soak")

Starts the system on a free port, drives mixed traffic (customers, agents, dashboards,
heartbeats) while faults come and go on the local Thronos node, drains, checks that nothing
was lost, and writes the report (bench/results/soak-latest.json). Exit code 1 when a check fails.
Example: npm run soak -- --minutes 1 --rate 20

${lines.join("\n")}
`;
}
