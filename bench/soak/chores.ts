// What runs beside the traffic, on the soak's clock: the minute cron (the Worker's scheduled
// handler, as production runs it), a checkpoint sample (the audit log's history, for the
// consistency checks) and workerd's RSS every 10 s, and a progress line every 30 s.
import type { Answer } from "../lib/api.ts";
import { now, sleep } from "../lib/clock.ts";
import type { Checkpoint } from "./audit.ts";

const MINUTE_CRON = "* * * * *";

/** Runs the Worker's scheduled handler once, as the minute cron would (`/cdn-cgi/handler/scheduled`); its status, 0 without an answer. */
export async function runCron(url: string): Promise<number> {
  const res = await fetch(`${url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(MINUTE_CRON)}`, {
    signal: AbortSignal.timeout(60_000),
  }).catch(() => null);
  await res?.arrayBuffer();
  return res?.status ?? 0;
}

export function startChores(options: {
  url: string;
  call: (path: string) => Promise<Answer>;
  /** The shared start instant (bench/lib/clock.ts). */
  at: number;
  cronEverySeconds: number;
  workerdRss: () => number;
  progress: (line: string) => void;
}) {
  const checkpoints: Checkpoint[] = [];
  const series: { atS: number; rssMb: number }[] = [];
  const cron = { runs: 0, failed: 0 };
  let running = true;
  let cronEvery = options.cronEverySeconds;
  const since = () => (now() - options.at) / 1000;
  let nextCron = cronEvery;

  /** Keeps the latest checkpoint when the log has grown since the last sample. */
  const sampleCheckpoint = async () => {
    const answer = await options.call("/audit/checkpoint").catch(() => null);
    const cp = answer?.status === 200 ? (answer.body as Checkpoint) : null;
    if (cp && cp.tree_size !== checkpoints.at(-1)?.tree_size) checkpoints.push(cp);
  };

  const done = (async () => {
    let nextSample = 0;
    let nextProgress = 30;
    while (running) {
      const t = since();
      if (t >= nextCron) {
        nextCron = t + cronEvery;
        cron.runs++;
        if ((await runCron(options.url)) !== 200) cron.failed++;
      }
      if (t >= nextSample) {
        nextSample = t + 10;
        series.push({ atS: Math.round(t), rssMb: options.workerdRss() });
        await sampleCheckpoint();
      }
      if (t >= nextProgress) {
        nextProgress = t + 30;
        options.progress(`  ${Math.round(t)} s: log ${checkpoints.at(-1)?.tree_size ?? 0} leaves, workerd ${options.workerdRss()} MB`);
      }
      await sleep(500);
    }
    await sampleCheckpoint();
  })();

  return {
    checkpoints,
    series,
    cron,
    /** The drain runs the cron more often, so that what the sweep catches up is caught up soon. */
    hurry(everySeconds: number) {
      cronEvery = Math.min(cronEvery, everySeconds);
      nextCron = Math.min(nextCron, since() + cronEvery);
    },
    /** Stops after a last checkpoint sample. */
    async stop() {
      running = false;
      await done;
    },
  };
}
