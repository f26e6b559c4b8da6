// What the bench reads from /proc (Linux): CPU time (utime+stime) and resident memory of the
// processes it measures, the process tree under it (to find the workerd processes that
// wrangler dev or Miniflare started), and which process listens on a port.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

type Stat = { pid: number; comm: string; ppid: number; cpuMs: number };

/** /proc/<pid>/stat, or null once the process is gone. */
export function statOf(pid: number): Stat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name is in parentheses and may itself contain spaces or parentheses.
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  const fields = text.slice(close + 2).split(" ");
  // After the name: state(0) ppid(1) ... utime(11) stime(12), as in proc(5) fields 14 and 15.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { pid, comm: text.slice(open + 1, close), ppid: Number(fields[1]), cpuMs: (ticks * 1000) / clockTicks() };
}

/** CPU time (user + system) a process has used so far, in ms; 0 once it is gone. */
export const cpuMsOf = (pid: number): number => statOf(pid)?.cpuMs ?? 0;

/** Resident set size in MiB (VmRSS), 0 once the process is gone. */
export function rssMbOf(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Math.round((Number(kb) / 1024) * 10) / 10 : 0;
  } catch {
    return 0;
  }
}

/** Every live process below `root` (not `root` itself). */
export function descendants(root: number): Stat[] {
  const all = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => statOf(Number(name)))
    .filter((s): s is Stat => s !== null);
  const children = new Map<number, Stat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const out: Stat[] = [];
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      out.push(child);
      walk(child.pid);
    }
  };
  walk(root);
  return out;
}

/** The workerd processes below `root`. */
export const workerdBelow = (root: number): number[] =>
  descendants(root)
    .filter((s) => s.comm === "workerd")
    .map((s) => s.pid);

/** Of `pids`, the ones holding a socket that listens on TCP `port` (IPv4 or IPv6). */
export function listeningOn(port: number, pids: number[]): number[] {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      // State 0A is LISTEN; the inode is column 9.
      if (local && cols[3] === "0A" && Number.parseInt(local.split(":")[1] ?? "", 16) === port) inodes.add(cols[9]!);
    }
  }
  return pids.filter((pid) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try {
          const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
          return target.startsWith("socket:[") && inodes.has(target.slice(8, -1));
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  });
}

/** A group of processes measured together, e.g. "workerd (worker)". */
export type Role = { role: string; pids: number[] };

export type RoleUsage = {
  role: string;
  pids: number[];
  /** CPU time used during the measured window, in ms. */
  cpuMs: number;
  /** Share of one core over the window, in percent. */
  cpuPercent: number;
  /** Resident memory at the end of the window, MiB (summed over the role's processes). */
  rssMb: number;
  /** The highest resident memory sampled during the window, MiB. */
  peakRssMb: number;
};

/** Measures CPU and memory of `roles` from now until `stop()`; samples RSS every `everyMs`. */
export function watchUsage(roles: Role[], everyMs = 1000) {
  const started = performance.now();
  const before = roles.map((r) => r.pids.map(cpuMsOf));
  const rss = (r: Role) => r.pids.reduce((sum, pid) => sum + rssMbOf(pid), 0);
  const peaks = roles.map(rss);
  const timer = setInterval(() => roles.forEach((r, i) => (peaks[i] = Math.max(peaks[i]!, rss(r)))), everyMs);
  timer.unref();
  return {
    /** RSS of each role right now, MiB. */
    rssNow: () => roles.map((r) => ({ role: r.role, rssMb: Math.round(rss(r) * 10) / 10 })),
    stop(): RoleUsage[] {
      clearInterval(timer);
      const seconds = (performance.now() - started) / 1000;
      return roles.map((r, i) => {
        const cpuMs = r.pids.reduce((sum, pid, j) => sum + Math.max(0, cpuMsOf(pid) - before[i]![j]!), 0);
        const now = rss(r);
        return {
          role: r.role,
          pids: r.pids,
          cpuMs: Math.round(cpuMs),
          cpuPercent: Math.round((cpuMs / 10 / Math.max(seconds, 0.001)) * 10) / 10,
          rssMb: Math.round(now * 10) / 10,
          peakRssMb: Math.round(Math.max(peaks[i]!, now) * 10) / 10,
        };
      });
    },
  };
}
