// Dispatch: agents online on their sockets, calls enqueued at a fixed rate, each agent
// accepting, starting and completing every call it is offered. Measures enqueue (submit sent)
// → `call_offered` at the agent, lost calls (queued, never offered), duplicate offers, and the
// frames the staff sockets received per offered call. The peer: BullMQ workers (one per agent,
// concurrency 1) on a local redis-server, job added → job started.
import { sleep } from "../lib/clock.ts";
import { deal } from "../lib/api.ts";
import { Fleet, type Task } from "../lib/fleet.ts";
import { watchUsage } from "../lib/proc.ts";
import { workerdMsPerRequest, type Result } from "../lib/report.ts";
import { summarize } from "../lib/stats.ts";
import type { AgentsResult } from "../roles/agents.ts";
import type { EnqueuerResult } from "../roles/enqueuer.ts";
import type { BullStart } from "../roles/peers.ts";
import { clearQueue, prepareVerifications } from "../system/accounts.ts";
import { dealSkills, randomRequirements } from "../system/skills.ts";
import {
  clientUsage,
  joinOffers,
  mergeCounts,
  mergeLatency,
  ok,
  peerRun,
  round,
  serverRoles,
  type Context,
  type Scenario,
} from "./context.ts";

export const CUSTOMERS = 20;

export type DispatchRun = {
  scenario: string;
  name: string;
  agents: number;
  rate: number;
  seconds: number;
  callMs: number;
  /** Inline: each call creates and uploads its own verification (long runs); else prepared first. */
  inline?: boolean;
  /** true: agents with random skills, calls with random requirements; false: every agent's
   * skills taken away first (a skill-less run after a skilled one); unset: left as they are. */
  skills?: boolean;
  /** Called every `everyMs` during the run with the RSS of workerd (memory soak). */
  sample?: { everyMs: number; onSample(atS: number, rssMb: number): void };
};

/** One dispatch run against VerifyID; see the file comment. */
export async function runDispatch(ctx: Context, run: DispatchRun): Promise<Result> {
  const { url } = ctx.system;
  const agents = await ctx.accounts.agents(run.agents);
  const customers = await ctx.accounts.customers(CUSTOMERS);
  const manager = await ctx.accounts.manager();
  const count = Math.round(run.rate * run.seconds);
  let prepared: { verificationId: string; token: string }[] | null = null;
  if (run.skills !== undefined) await dealSkills(url, manager.token, agents, { none: !run.skills });
  if (!run.inline) {
    ctx.progress(`    preparing ${count} verifications${run.skills ? " with requirements" : ""}`);
    prepared = await prepareVerifications(url, customers, count, run.skills ? randomRequirements(run.agents, count) : undefined);
  }
  ctx.progress(`    ${run.agents} agents online, ${run.rate} enqueues/s for ${run.seconds} s`);
  const enqueuers = Math.max(1, Math.min(ctx.options.clients, Math.ceil(run.rate / 200)));
  const tasks: Task[] = [
    ...deal(agents, ctx.options.clients).map((share) => ({
      role: "agents" as const,
      params: {
        baseUrl: url,
        agents: share.map((a) => ({ id: a.id, token: a.token })),
        takeCalls: true,
        callMs: run.callMs,
        onlineAt: "setup",
        beatEveryMs: null,
      },
    })),
    // Each enqueuer takes every n-th call, so together they keep the rate.
    ...Array.from({ length: enqueuers }, (_, e) => ({
      role: "enqueuer" as const,
      params: {
        baseUrl: url,
        rate: run.rate / enqueuers,
        count: Math.ceil(count / enqueuers),
        concurrency: 1,
        maxMs: run.seconds * 1000 + 1000,
        prepared: prepared ? prepared.filter((_, i) => i % enqueuers === e) : null,
        customers: customers.map((c) => c.token),
        cancelAs: null,
      },
    })),
  ];
  const fleet = await Fleet.start(tasks);
  try {
    const watch = watchUsage(serverRoles(ctx));
    const at = fleet.go();
    const sampler = run.sample
      ? setInterval(() => {
          const rss = watch.rssNow().filter((r) => r.role === "workerd (worker)")[0]?.rssMb ?? 0;
          run.sample!.onSample(round((performance.timeOrigin + performance.now() - at) / 1000), rss);
        }, run.sample.everyMs)
      : null;
    const enq = await fleet.reports<EnqueuerResult>((t) => t.role === "enqueuer", run.seconds * 1000 + 300_000);
    // Calls still waiting are offered as agents free up: give them the time of one call and then some.
    await sleep(run.callMs + 5_000);
    fleet.stop((t) => t.role === "agents");
    const ag = await fleet.reports<AgentsResult>((t) => t.role === "agents", run.callMs + 60_000);
    if (sampler) clearInterval(sampler);
    const usage = watch.stop();
    const submits = enq.flatMap((r) => r.result.submits);
    const offers = ag.flatMap((r) => r.result.offers.map((o) => ({ key: o.verificationId, callId: o.callId, at: o.at })));
    const joined = joinOffers(submits, offers);
    const frames = mergeCounts(ag.map((r) => r.result.frames));
    const totalFrames = Object.values(frames).reduce((a, b) => a + b, 0);
    const queueFrames = totalFrames - (frames.heartbeat_ack ?? 0) - (frames.pong ?? 0);
    const latency = mergeLatency(ag.map((r) => r.result.latency));
    const failures = mergeCounts(ag.map((r) => r.result.failures));
    const requests = submits.length + ag.reduce((s, r) => s + r.result.requests + r.result.messages, 0);
    const failedSubmits = submits.filter((s) => !ok(s)).length;
    const measuredS = run.seconds + (run.callMs + 5_000) / 1000;
    return {
      scenario: run.scenario,
      name: run.name,
      system: "verifyid",
      runner: ctx.runner,
      measures: "enqueue (submit sent) → call_offered at the agent",
      params: { agents: run.agents, rate: run.rate, seconds: run.seconds, callMs: run.callMs, ...(run.skills ? { skills: 1 } : {}) },
      latency: summarize(joined.latency),
      lost: joined.lost,
      failed: failedSubmits + Object.values(failures).reduce((a, b) => a + b, 0),
      requests,
      durationS: measuredS,
      throughput: round(joined.latency.length / run.seconds),
      cpu: [...usage, clientUsage([...enq, ...ag], measuredS)],
      cpuMsPerRequest: workerdMsPerRequest(usage, requests),
      figures: {
        enqueued: submits.filter(ok).length,
        offered: joined.latency.length,
        duplicateOffers: joined.duplicates,
        cycles: ag.reduce((s, r) => s + r.result.cycles, 0),
        framesPerOffer: joined.latency.length ? round(totalFrames / offers.length, 2) : null,
        queueFramesPerOffer: joined.latency.length ? round(queueFrames / offers.length, 2) : null,
        droppedSockets: ag.reduce((s, r) => s + r.result.dropped, 0),
        ...(Object.keys(failures).length ? { failures: JSON.stringify(failures) } : {}),
        ...(enq.some((r) => r.result.prepFailures) ? { prepFailures: enq.reduce((s, r) => s + r.result.prepFailures, 0) } : {}),
      },
      details: {
        submit: summarize(submits.filter(ok).map((s) => s.doneAt - s.sentAt)),
        ...Object.fromEntries(Object.entries(latency).map(([k, v]) => [k, summarize(v)])),
      },
    };
  } finally {
    await fleet.close();
    await clearQueue(url, manager.token);
  }
}

export type BullRun = { scenario: string; name: string; peerOf: string; workers: number; rate: number; seconds: number; holdMs: number };

/** The same run against BullMQ: `workers` workers, jobs added at `rate`. */
export async function runBullDispatch(ctx: Context, run: BullRun): Promise<Result> {
  const redis = await ctx.peers.redis();
  const queue = `bench-${run.name.replace(/\W+/g, "-")}-${Date.now()}`;
  const count = Math.round(run.rate * run.seconds);
  const producers = Math.max(1, Math.min(ctx.options.clients, Math.ceil(run.rate / 1000)));
  const tasks: Task[] = [
    ...deal(
      Array.from({ length: run.workers }, (_, i) => i),
      ctx.options.clients,
    ).map((share) => ({
      role: "bullmq-workers" as const,
      params: { redisUrl: redis.url, queue, workers: share.length, holdMs: run.holdMs },
    })),
    ...Array.from({ length: producers }, (_, p) => ({
      role: "bullmq-producer" as const,
      params: { redisUrl: redis.url, queue, rate: run.rate / producers, count: Math.ceil(count / producers), prefix: `p${p}` },
    })),
  ];
  const fleet = await Fleet.start(tasks);
  try {
    const watch = watchUsage([{ role: "redis-server", pids: [redis.pid] }]);
    fleet.go();
    const prod = await fleet.reports<EnqueuerResult>((t) => t.role === "bullmq-producer", run.seconds * 1000 + 300_000);
    await sleep(run.holdMs + 5_000);
    fleet.stop((t) => t.role === "bullmq-workers");
    const workers = await fleet.reports<BullStart[]>((t) => t.role === "bullmq-workers", 60_000);
    const usage = watch.stop();
    const submits = prod.flatMap((r) => r.result.submits);
    const starts = workers.flatMap((r) => r.result.map((s) => ({ key: s.key, callId: s.key, at: s.at })));
    const joined = joinOffers(submits, starts);
    const measuredS = run.seconds + (run.holdMs + 5_000) / 1000;
    return {
      scenario: run.scenario,
      name: run.name,
      system: "bullmq",
      runner: null,
      measures: "queue.add sent → job started in a worker",
      params: { workers: run.workers, rate: run.rate, seconds: run.seconds, holdMs: run.holdMs },
      latency: summarize(joined.latency),
      lost: joined.lost,
      failed: submits.filter((s) => !ok(s)).length,
      requests: submits.length,
      durationS: measuredS,
      throughput: round(joined.latency.length / run.seconds),
      cpu: [...usage, clientUsage([...prod, ...workers], measuredS)],
      cpuMsPerRequest: null,
      figures: { added: submits.filter(ok).length, started: joined.latency.length, duplicateStarts: joined.duplicates },
      details: {},
      peerOf: run.peerOf,
    };
  } finally {
    await fleet.close();
  }
}

export const dispatch: Scenario = {
  name: "dispatch",
  async run(ctx) {
    const { options } = ctx;
    const seconds = options.seconds ?? 30;
    const results: Result[] = [];
    for (const rate of options.rates) {
      const name = `dispatch ${rate}/s`;
      ctx.progress(`  ${name}`);
      const base = { scenario: "dispatch", agents: options.agents, rate, seconds, callMs: options.callMs };
      results.push(await runDispatch(ctx, { ...base, name, ...(options.skills ? { skills: false } : {}) }));
      // Beside it, the same run routed by skills (issue 17).
      if (options.skills) {
        ctx.progress(`  ${name} with skills`);
        results.push(await runDispatch(ctx, { ...base, name: `${name} with skills`, skills: true }));
      }
      if (ctx.withPeers)
        results.push(
          ...(await peerRun(ctx, `${name}: BullMQ peer`, () =>
            runBullDispatch(ctx, {
              scenario: "dispatch",
              name: `${name} (BullMQ)`,
              peerOf: name,
              workers: options.agents,
              rate,
              seconds,
              holdMs: options.callMs,
            }),
          )),
        );
    }
    return results;
  },
};
