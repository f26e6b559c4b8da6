// The platform floor: a hello-world Worker (bench/floor/) under the same runner as the system,
// requests one at a time; workerd's CPU per request is what the runtime costs by itself.
import { join } from "node:path";
import { Fleet } from "../lib/fleet.ts";
import type { Options, Runner } from "../lib/options.ts";
import { watchUsage } from "../lib/proc.ts";
import { workerdMsPerRequest, type Result } from "../lib/report.ts";
import { summarize } from "../lib/stats.ts";
import type { SequenceResult } from "../roles/sequence.ts";
import { ROOT } from "../system/processes.ts";
import { startDirect, startWranglerWorker } from "../system/system.ts";
import { round } from "./context.ts";

export async function runFloor(runner: Runner, options: Options, log: (line: string) => void): Promise<Result> {
  const configPath = join(ROOT, "bench", "floor", "wrangler.toml");
  const floor =
    runner === "direct"
      ? await startDirect({ name: "floor", configPath, vars: {}, readyPath: "/", log })
      : await startWranglerWorker(configPath, log);
  const fleet = await Fleet.start([{ role: "sequence", params: {} }]);
  try {
    // A short warm-up, so the first compilation is not counted.
    await fleet.command(0, { op: "get", url: floor.url, n: 20 });
    const started = performance.now();
    const watch = watchUsage(floor.workerd);
    const out = await fleet.command<SequenceResult>(0, { op: "get", url: floor.url, n: options.floorRequests });
    const usage = watch.stop();
    const seconds = (performance.now() - started) / 1000;
    return {
      scenario: "floor",
      name: "floor (hello world)",
      system: "floor",
      runner,
      measures: "GET / of a hello-world worker, one at a time",
      params: { requests: options.floorRequests },
      latency: summarize(out.latency),
      lost: null,
      failed: out.failures,
      requests: out.requests,
      durationS: round(seconds),
      throughput: round(out.requests / seconds),
      cpu: usage,
      cpuMsPerRequest: workerdMsPerRequest(usage, out.requests),
      figures: {},
      details: {},
    };
  } finally {
    await fleet.close();
    await floor.stop();
  }
}
