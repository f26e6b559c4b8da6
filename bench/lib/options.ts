// `npm run bench -- [flags]`: every size is a flag, every default is the figure issue 9 asks
// for. One table drives parsing and `--help`, so the two cannot disagree.
import { parseArgs } from "node:util";

export const SCENARIOS = ["floor", "costs", "dispatch", "ramp", "fanout", "heartbeats", "anchoring", "memory"] as const;
export type ScenarioName = (typeof SCENARIOS)[number];
export const RUNNERS = ["direct", "wrangler"] as const;
export type Runner = (typeof RUNNERS)[number];

type Kind = "int" | "list" | "ints" | "string" | "flag";
type Spec = { kind: Kind; default: string; help: string; group: string };

const FLAGS = {
  only: { kind: "list", default: SCENARIOS.join(","), help: "scenarios to run, in this order", group: "general" },
  skip: { kind: "list", default: "", help: "scenarios to leave out", group: "general" },
  runners: {
    kind: "list",
    default: "direct,wrangler",
    help: "runners for floor and costs: direct (Miniflare's API, no proxy) and wrangler (wrangler dev, its proxy in the path)",
    group: "general",
  },
  "load-runners": { kind: "list", default: "direct", help: "runners for every other scenario", group: "general" },
  peers: {
    kind: "flag",
    default: "true",
    help: "run the peers (Socket.IO, BullMQ + redis-server); --no-peers skips them",
    group: "general",
  },
  clients: { kind: "int", default: "4", help: "client processes per group of sockets or requests", group: "general" },
  out: { kind: "string", default: "bench/results/latest.json", help: "where the JSON results go", group: "general" },
  persist: { kind: "string", default: "", help: "state directory to use (and keep); a fresh temporary one when empty", group: "general" },
  log: { kind: "flag", default: "false", help: "stream wrangler/Miniflare output", group: "general" },
  help: { kind: "flag", default: "false", help: "this text", group: "general" },

  "floor-requests": { kind: "int", default: "500", help: "requests to the hello-world worker, one at a time", group: "floor" },
  "cost-requests": {
    kind: "int",
    default: "200",
    help: "requests (or call cycles) per kind, one at a time, on an idle server",
    group: "costs",
  },
  "cost-dashboards": {
    kind: "ints",
    default: "0,100,1000",
    help: "dashboard sockets connected while enqueue CPU is measured",
    group: "costs",
  },

  agents: { kind: "int", default: "500", help: "agents online (dispatch, heartbeats)", group: "dispatch" },
  rates: { kind: "ints", default: "25,50,100", help: "enqueues a second, one run each", group: "dispatch" },
  rate: { kind: "int", default: "", help: "shorthand for --rates N", group: "dispatch" },
  seconds: { kind: "int", default: "", help: "measured seconds of dispatch (30), fan-out (20) and heartbeats (20)", group: "dispatch" },
  "call-ms": { kind: "int", default: "2000", help: "how long an agent holds a call between start and complete", group: "dispatch" },
  skills: {
    kind: "flag",
    default: "false",
    help: "beside each skill-less dispatch run, one with skills: agents with random languages and levels, calls requiring one",
    group: "dispatch",
  },

  "ramp-agents": { kind: "int", default: "50", help: "agents online during the ramp", group: "ramp" },
  "ramp-start": { kind: "int", default: "10", help: "first rate, full call cycles a second", group: "ramp" },
  "ramp-factor": { kind: "string", default: "1.5", help: "each step's rate is the last one times this", group: "ramp" },
  "ramp-max": { kind: "int", default: "8000", help: "highest rate tried", group: "ramp" },
  "ramp-seconds": { kind: "int", default: "10", help: "seconds per step", group: "ramp" },
  "ramp-p99": { kind: "int", default: "1000", help: "a step passes with p99 at most this many ms and 0 lost", group: "ramp" },

  dashboards: { kind: "int", default: "1000", help: "dashboard sockets", group: "fanout" },
  events: { kind: "int", default: "50", help: "call events a second (half enqueues, half cancels)", group: "fanout" },

  "hb-socket-rate": { kind: "int", default: "500", help: "heartbeats a second over the agents' sockets", group: "heartbeats" },
  "hb-http-rate": { kind: "int", default: "100", help: "heartbeats a second over HTTP", group: "heartbeats" },

  "anchor-records": { kind: "int", default: "10000", help: "audit records (document uploads) to anchor", group: "anchoring" },
  "anchor-timeout": { kind: "int", default: "900", help: "seconds to wait for every receipt to be anchored", group: "anchoring" },

  "soak-minutes": { kind: "int", default: "10", help: "minutes of full call cycles for the memory soak", group: "memory" },
  "soak-rate": { kind: "int", default: "20", help: "call cycles a second during the soak", group: "memory" },
  "soak-agents": { kind: "int", default: "50", help: "agents online during the soak", group: "memory" },
  deep: { kind: "int", default: "50000", help: "waiting calls in one coordinator for the deep-queue run", group: "memory" },
  "deep-base": { kind: "int", default: "1000", help: "waiting calls for the comparison run", group: "memory" },
  "deep-agents": { kind: "int", default: "20", help: "agents cycling through the deep queue", group: "memory" },
  "deep-seconds": { kind: "int", default: "10", help: "measured seconds at each depth", group: "memory" },
  "deep-fill-minutes": {
    kind: "int",
    default: "30",
    help: "give up filling the queue after this long (the depth reached is reported)",
    group: "memory",
  },
} satisfies Record<string, Spec>;

export type Options = {
  only: ScenarioName[];
  runners: Runner[];
  loadRunners: Runner[];
  peers: boolean;
  clients: number;
  out: string;
  persist: string;
  log: boolean;
  help: boolean;
  floorRequests: number;
  costRequests: number;
  costDashboards: number[];
  agents: number;
  rates: number[];
  /** null: each scenario's own default. */
  seconds: number | null;
  callMs: number;
  /** Dispatch also with skills and requirements (issue 17). */
  skills: boolean;
  ramp: { agents: number; start: number; factor: number; max: number; seconds: number; p99Ms: number };
  dashboards: number;
  events: number;
  hbSocketRate: number;
  hbHttpRate: number;
  anchorRecords: number;
  anchorTimeoutS: number;
  soak: { minutes: number; rate: number; agents: number };
  deep: { depth: number; base: number; agents: number; seconds: number; fillMinutes: number };
};

export class UsageError extends Error {}

function list<T extends string>(name: string, value: string, allowed: readonly T[]): T[] {
  const items = value.split(",").filter(Boolean);
  for (const item of items)
    if (!allowed.includes(item as T)) throw new UsageError(`--${name}: unknown "${item}" (one of ${allowed.join(", ")})`);
  return items as T[];
}

function int(name: string, value: string, min = 0): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number ≥ ${min}, not "${value}"`);
  return n;
}

/** Parses `argv` (the arguments after `--`); throws UsageError on anything unknown or malformed. */
export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    allowNegative: true,
    strict: true,
    options: Object.fromEntries(
      Object.entries(FLAGS).map(([name, spec]) => [name, { type: spec.kind === "flag" ? ("boolean" as const) : ("string" as const) }]),
    ),
  });
  const raw = (name: keyof typeof FLAGS): string => {
    const v = values[name];
    return v === undefined ? FLAGS[name].default : String(v);
  };
  const flag = (name: keyof typeof FLAGS) => raw(name) === "true";
  const n = (name: keyof typeof FLAGS, min = 0) => int(name, raw(name), min);
  const ints = (name: keyof typeof FLAGS) =>
    raw(name)
      .split(",")
      .filter(Boolean)
      .map((v) => int(name, v));
  const skip = list("skip", raw("skip"), SCENARIOS);
  const factor = Number(raw("ramp-factor"));
  if (!(factor > 1)) throw new UsageError("--ramp-factor must be greater than 1");
  return {
    only: list("only", raw("only"), SCENARIOS).filter((s) => !skip.includes(s)),
    runners: list("runners", raw("runners"), RUNNERS),
    loadRunners: list("load-runners", raw("load-runners"), RUNNERS),
    peers: flag("peers"),
    clients: n("clients", 1),
    out: raw("out"),
    persist: raw("persist"),
    log: flag("log"),
    help: flag("help"),
    floorRequests: n("floor-requests", 1),
    costRequests: n("cost-requests", 1),
    costDashboards: ints("cost-dashboards"),
    agents: n("agents", 1),
    rates: raw("rate") ? [n("rate", 1)] : ints("rates"),
    seconds: raw("seconds") ? n("seconds", 1) : null,
    callMs: n("call-ms"),
    skills: flag("skills"),
    ramp: {
      agents: n("ramp-agents", 1),
      start: n("ramp-start", 1),
      factor,
      max: n("ramp-max", 1),
      seconds: n("ramp-seconds", 1),
      p99Ms: n("ramp-p99", 1),
    },
    dashboards: n("dashboards"),
    events: n("events", 2),
    hbSocketRate: n("hb-socket-rate"),
    hbHttpRate: n("hb-http-rate"),
    anchorRecords: n("anchor-records", 1),
    anchorTimeoutS: n("anchor-timeout", 1),
    soak: { minutes: n("soak-minutes", 1), rate: n("soak-rate", 1), agents: n("soak-agents", 1) },
    deep: {
      depth: n("deep", 1),
      base: n("deep-base", 1),
      agents: n("deep-agents", 1),
      seconds: n("deep-seconds", 1),
      fillMinutes: n("deep-fill-minutes", 1),
    },
  };
}

/** `--help`: the flags by scenario, each with its default. */
export function helpText(): string {
  const groups = new Map<string, string[]>();
  for (const [name, spec] of Object.entries(FLAGS) as [string, Spec][]) {
    const shown =
      spec.kind === "flag"
        ? `--${name}`
        : `--${name} ${spec.kind === "list" || spec.kind === "ints" ? "A,B" : spec.kind === "string" ? "VALUE" : "N"}`;
    const dflt =
      spec.default && spec.kind !== "flag" ? ` (default ${spec.default})` : spec.kind === "flag" && spec.default === "true" ? " (on)" : "";
    groups.set(spec.group, [...(groups.get(spec.group) ?? []), `  ${shown.padEnd(26)} ${spec.help}${dflt}`]);
  }
  const body = [...groups].map(([group, lines]) => `${group}:\n${lines.join("\n")}`).join("\n\n");
  return `npm run bench -- [flags]   (see bench/README.md)

Starts the system itself on free ports, runs each scenario from separate client processes and
prints a table; the figures go to bench/results/latest.json. Scenarios: ${SCENARIOS.join(", ")}.
Example: npm run bench -- --only dispatch,fanout --agents 50 --rate 10 --seconds 5

${body}
`;
}
