// What a scenario yields (one row per measured system and variant), the table printed at the
// end, and bench/results/latest.json.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import type { RoleUsage } from "./proc.ts";
import { ratio, type Summary } from "./stats.ts";

export type System = "verifyid" | "floor" | "socket.io" | "bullmq";

export type Result = {
  scenario: string;
  /** The row's label, e.g. "dispatch 25/s". */
  name: string;
  system: System;
  runner: string | null;
  /** What `latency` measures, in words. */
  measures: string;
  params: Record<string, number | string>;
  latency: Summary | null;
  /** Accepted but never delivered (an offer, an event on a socket, a receipt anchored). */
  lost: number | null;
  /** Requests answered with an error or not at all. */
  failed: number;
  requests: number;
  durationS: number;
  /** Achieved rate of the scenario's unit (offers, events delivered, beats, records) a second. */
  throughput: number | null;
  cpu: RoleUsage[];
  /** workerd CPU (worker, plus wrangler's proxy when present) per request, ms. */
  cpuMsPerRequest: number | null;
  /** Scenario-specific figures (duplicates, frames per offer, RSS growth, ...). */
  figures: Record<string, number | string | null>;
  /** Further latency summaries (per request kind, ...). */
  details: Record<string, Summary | null>;
  /** For the ramp: one point per step. */
  curve?: { rate: number; achieved: number; p50: number | null; p99: number | null; lost: number; failed: number; pass: boolean }[];
  /** Memory soak: workerd's RSS over time. */
  series?: { atS: number; rssMb: number }[];
  /** A peer's row names the VerifyID row it is compared with; the table shows the ratio. */
  peerOf?: string;
};

/** workerd's CPU per request from the roles' usage. */
export function workerdMsPerRequest(cpu: RoleUsage[], requests: number): number | null {
  if (!requests) return null;
  const ms = cpu.filter((r) => r.role.startsWith("workerd")).reduce((sum, r) => sum + r.cpuMs, 0);
  return Math.round((ms / requests) * 100) / 100;
}

/** Under wrangler dev: the Worker's and the proxy's share of workerd ms per request, as figures. */
export function withRunnerSplit(result: Result): Result {
  const proxy = result.cpu.find((r) => r.role === "workerd (wrangler proxy)");
  const worker = result.cpu.find((r) => r.role === "workerd (worker)");
  const total = (proxy?.cpuMs ?? 0) + (worker?.cpuMs ?? 0);
  if (!proxy || !worker || !total || result.cpuMsPerRequest === null) return result;
  // In the unit of cpuMsPerRequest (a request, or a call cycle), split by each process's share.
  const share = (ms: number) => Math.round(((result.cpuMsPerRequest! * ms) / total) * 100) / 100;
  return { ...result, figures: { ...result.figures, workerMsPerRequest: share(worker.cpuMs), proxyMsPerRequest: share(proxy.cpuMs) } };
}

const fmt = (n: number | null | undefined, digits = 1) => (n == null || Number.isNaN(n) ? "–" : n.toFixed(digits));

/** The results as a fixed-width table: one row per result, and each peer's ratio on its VerifyID row. */
export function table(results: Result[]): string {
  const head = [
    "scenario",
    "system",
    "runner",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "max ms",
    "lost",
    "failed",
    "rate/s",
    "workerd ms/req",
    "RSS MB",
    "vs peer",
  ];
  const rows = results.map((r) => {
    const peer = results.find((p) => p.peerOf === r.name);
    const rss = r.cpu.filter((c) => c.role.startsWith("workerd")).reduce((s, c) => s + c.rssMb, 0);
    let vsPeer = "";
    if (peer) {
      const byRate = r.scenario === "ramp";
      const x = byRate ? ratio(r.throughput, peer.throughput) : ratio(r.latency?.p99, peer.latency?.p99);
      vsPeer = x === null ? "–" : `${byRate ? "rate" : "p99"} ×${x} ${peer.system}`;
    }
    return [
      r.name,
      r.system,
      r.runner ?? "",
      fmt(r.latency?.p50),
      fmt(r.latency?.p95),
      fmt(r.latency?.p99),
      fmt(r.latency?.max),
      r.lost == null ? "–" : String(r.lost),
      String(r.failed),
      fmt(r.throughput),
      fmt(r.cpuMsPerRequest, 2),
      rss ? fmt(rss, 0) : "–",
      vsPeer,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const extras = results
    .filter((r) => Object.keys(r.figures).length)
    .map(
      (r) =>
        `  ${r.name} [${r.system}${r.runner ? `, ${r.runner}` : ""}]: ${Object.entries(r.figures)
          .map(([k, v]) => `${k} ${v ?? "–"}`)
          .join(", ")}`,
    );
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line), "", "figures:", ...extras].join("\n");
}

export type Machine = {
  cores: number;
  cpuModel: string;
  memoryMb: number;
  platform: string;
  versions: Record<string, string>;
};

const pkgVersion = (root: string, name: string) => {
  try {
    return (JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "missing";
  }
};

/** Cores, memory and the versions of everything measured. */
export function describeMachine(root: string): Machine {
  const run = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      return "missing";
    }
  };
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryMb: Math.round(totalmem() / 2 ** 20),
    platform: `${process.platform} ${process.arch}`,
    versions: {
      node: process.version,
      workerd: run(join(root, "node_modules", ".bin", "workerd"), ["--version"]),
      wrangler: pkgVersion(root, "wrangler"),
      miniflare: pkgVersion(root, "miniflare"),
      "socket.io": pkgVersion(root, "socket.io"),
      bullmq: pkgVersion(root, "bullmq"),
      "redis-server": run("redis-server", ["--version"]).replace(/^Redis server /, ""),
    },
  };
}
