// What every scenario gets, and the measuring steps they share: the roles whose CPU and memory
// are read, the client processes' own CPU, and the joins of "sent" with "arrived" samples.
import type { Options, Runner } from "../lib/options.ts";
import type { Report } from "../lib/fleet.ts";
import type { Role, RoleUsage } from "../lib/proc.ts";
import type { Result } from "../lib/report.ts";
import type { Arrivals } from "../roles/dashboards.ts";
import type { Sent } from "../roles/enqueuer.ts";
import type { PeerProcess } from "../peers/index.ts";
import type { Accounts } from "../system/accounts.ts";
import type { Started } from "../system/system.ts";
import type { ThronosNode } from "../system/thronos.ts";

export type Peers = { socketIo(): Promise<PeerProcess>; redis(): Promise<PeerProcess> };

export type Context = {
  options: Options;
  runner: Runner;
  system: Started;
  accounts: Accounts;
  thronos: ThronosNode;
  /** Run the peers in this pass (once per bench, with the first load runner). */
  withPeers: boolean;
  peers: Peers;
  /** The floor's workerd ms per request under this runner, once the floor scenario ran. */
  floorMs: number | null;
  progress(line: string): void;
};

export type Scenario = {
  name: string;
  run(ctx: Context): Promise<Result[]>;
};

/** A peer's run: its row, or null (reported) when the peer could not run; VerifyID's rows stay. */
export async function peerRun(ctx: Context, label: string, run: () => Promise<Result>): Promise<Result[]> {
  ctx.progress(`  ${label}`);
  try {
    return [await run()];
  } catch (err) {
    ctx.progress(`  ${label} failed: ${err instanceof Error ? err.message : String(err)}`);
    return [];
  }
}

/** The server-side processes measured in every VerifyID scenario. */
export const serverRoles = (ctx: Context): Role[] => [...ctx.system.workerd, { role: "thronos node", pids: [ctx.thronos.pid] }];

/** The client processes' CPU, summed, as one role. */
export function clientUsage(reports: Report<unknown>[], seconds: number): RoleUsage {
  const cpuMs = reports.reduce((s, r) => s + r.cpuMs, 0);
  const rssMb = reports.reduce((s, r) => s + r.rssMb, 0);
  return {
    role: `clients (${reports.length} processes)`,
    pids: [],
    cpuMs,
    cpuPercent: Math.round((cpuMs / 10 / Math.max(seconds, 0.001)) * 10) / 10,
    rssMb,
    peakRssMb: rssMb,
  };
}

export const ok = (s: Sent) => s.status >= 200 && s.status < 300;

/** Deliveries of each sent key to every socket: latency samples, and how many never arrived. */
export function joinDeliveries(sent: { key: string; sentAt: number }[], reports: Arrivals[]) {
  const latency: number[] = [];
  let lost = 0;
  let delivered = 0;
  for (const s of sent) {
    for (const r of reports) {
      const arrivals = r.arrivals.get(s.key);
      const got = arrivals?.length ?? 0;
      lost += Math.max(0, r.sockets - got);
      delivered += Math.min(got, r.sockets);
      if (arrivals) for (const at of arrivals) latency.push(at - s.sentAt);
    }
  }
  return { latency, lost, delivered };
}

/** Enqueues joined with the offers they led to: latency, lost (accepted, never offered) and duplicate offers. */
export function joinOffers(submits: Sent[], offers: { key: string; callId: string; at: number }[]) {
  const firstOffer = new Map<string, number>();
  const offersPerCall = new Map<string, number>();
  for (const o of offers) {
    offersPerCall.set(o.callId, (offersPerCall.get(o.callId) ?? 0) + 1);
    const seen = firstOffer.get(o.key);
    if (seen === undefined || o.at < seen) firstOffer.set(o.key, o.at);
  }
  const latency: number[] = [];
  let lost = 0;
  for (const s of submits.filter(ok)) {
    const at = firstOffer.get(s.key);
    if (at === undefined) lost++;
    else latency.push(at - s.sentAt);
  }
  const duplicates = [...offersPerCall.values()].reduce((n, count) => n + count - 1, 0);
  return { latency, lost, duplicates };
}

/** Request latency by kind merged over several client reports. */
export function mergeLatency(parts: Record<string, number[]>[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const part of parts) for (const [k, v] of Object.entries(part)) (out[k] ??= []).push(...v);
  return out;
}

/** Sum of counters over several client reports. */
export function mergeCounts(parts: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of parts) for (const [k, v] of Object.entries(part)) out[k] = (out[k] ?? 0) + v;
  return out;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
