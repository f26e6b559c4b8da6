// Memory: (1) a soak of full call cycles at --soak-rate for --soak-minutes, workerd's RSS
// sampled every 10 s (after the first minute vs at the end); (2) one coordinator holding a deep
// queue: filled to --deep-base waiting calls, agents cycling through it (complete sent → the
// agent's next call_offered), then filled to --deep and measured again.
import { api, deal } from "../lib/api.ts";
import { Fleet } from "../lib/fleet.ts";
import { watchUsage } from "../lib/proc.ts";
import { workerdMsPerRequest, type Result } from "../lib/report.ts";
import { ratio, summarize } from "../lib/stats.ts";
import type { AgentsResult } from "../roles/agents.ts";
import type { EnqueuerResult } from "../roles/enqueuer.ts";
import { clearQueue } from "../system/accounts.ts";
import { CUSTOMERS, runDispatch } from "./dispatch.ts";
import { clientUsage, mergeCounts, ok, round, serverRoles, type Context, type Scenario } from "./context.ts";

async function soak(ctx: Context): Promise<Result> {
  const { minutes, rate, agents } = ctx.options.soak;
  const series: { atS: number; rssMb: number }[] = [];
  ctx.progress(`    soak: ${rate} calls/s for ${minutes} min, ${agents} agents`);
  const result = await runDispatch(ctx, {
    scenario: "memory",
    name: `memory soak ${rate}/s, ${minutes} min`,
    agents,
    rate,
    seconds: minutes * 60,
    callMs: 1000,
    inline: true,
    sample: { everyMs: 10_000, onSample: (atS, rssMb) => series.push({ atS, rssMb }) },
  });
  // The first sample after one minute (none in a soak of a minute or less).
  const afterFirstMinute = minutes > 1 ? series.find((s) => s.atS >= 60) : undefined;
  const atEnd = series.at(-1);
  return {
    ...result,
    series,
    figures: {
      ...result.figures,
      rssAfter1MinMb: afterFirstMinute?.rssMb ?? null,
      rssAtEndMb: atEnd?.rssMb ?? null,
      rssGrowth: ratio(atEnd?.rssMb, afterFirstMinute?.rssMb),
    },
  };
}

/** Waiting calls in the tenant's queue right now. */
async function depth(ctx: Context, token: string): Promise<number> {
  return (await api(ctx.system.url, "/video-calls/pending?limit=1", { token })).total_pending as number;
}

/** Fills the queue up to `target` waiting calls (no agent online), each call its own verification. */
async function fill(ctx: Context, target: number, token: string, deadlineMs: number) {
  const customers = await ctx.accounts.customers(CUSTOMERS);
  const have = await depth(ctx, token);
  const count = Math.max(0, target - have);
  if (!count) return { reached: have, perS: null, submit: null };
  ctx.progress(`    filling the queue: ${have} → ${target}`);
  const shares = deal(
    Array.from({ length: count }, (_, i) => i),
    ctx.options.clients,
  );
  const fleet = await Fleet.start(
    shares.map((share, i) => ({
      role: "enqueuer" as const,
      params: {
        baseUrl: ctx.system.url,
        rate: null,
        count: share.length,
        concurrency: 4,
        maxMs: deadlineMs,
        prepared: null,
        customers: customers.filter((_, j) => j % shares.length === i).map((c) => c.token),
        cancelAs: null,
      },
    })),
  );
  const started = performance.now();
  try {
    fleet.go(0);
    const reports = await fleet.reports<EnqueuerResult>(() => true, deadlineMs + 300_000);
    const submits = reports.flatMap((r) => r.result.submits).filter(ok);
    const lastThousand = submits.sort((a, b) => a.sentAt - b.sentAt).slice(-1000);
    return {
      reached: await depth(ctx, token),
      perS: round(submits.length / ((performance.now() - started) / 1000)),
      submit: summarize(lastThousand.map((s) => s.doneAt - s.sentAt)),
    };
  } finally {
    await fleet.close();
  }
}

/** Agents cycling through the waiting calls for `seconds`: complete sent → next offer. */
async function cycleThrough(ctx: Context, name: string, target: number, token: string): Promise<Result> {
  const { agents: n, seconds, fillMinutes } = ctx.options.deep;
  const filled = await fill(ctx, target, token, fillMinutes * 60_000);
  const agents = await ctx.accounts.agents(n);
  ctx.progress(`    ${n} agents through ${filled.reached} waiting calls for ${seconds} s`);
  const fleet = await Fleet.start(
    deal(agents, ctx.options.clients).map((share) => ({
      role: "agents" as const,
      params: {
        baseUrl: ctx.system.url,
        agents: share.map((a) => ({ id: a.id, token: a.token })),
        takeCalls: true,
        callMs: 0,
        onlineAt: "go",
        beatEveryMs: null,
      },
    })),
  );
  try {
    const watch = watchUsage(serverRoles(ctx));
    fleet.go();
    await new Promise((d) => setTimeout(d, seconds * 1000));
    fleet.stop();
    const ag = await fleet.reports<AgentsResult>(() => true, 60_000);
    const usage = watch.stop();
    const requests = ag.reduce((s, r) => s + r.result.requests + r.result.messages, 0);
    const failures = mergeCounts(ag.map((r) => r.result.failures));
    const offers = ag.flatMap((r) => r.result.offers);
    const perCall = new Map<string, number>();
    for (const o of offers) perCall.set(o.callId, (perCall.get(o.callId) ?? 0) + 1);
    return {
      scenario: "memory",
      name,
      system: "verifyid",
      runner: ctx.runner,
      measures: "complete sent → the agent's next call_offered (dispatch from a deep queue)",
      params: { waiting: filled.reached, agents: n, seconds },
      latency: summarize(ag.flatMap((r) => r.result.redispatchMs)),
      lost: null,
      failed: Object.values(failures).reduce((a, b) => a + b, 0),
      requests,
      durationS: seconds,
      throughput: round(ag.reduce((s, r) => s + r.result.cycles, 0) / seconds),
      cpu: [...usage, clientUsage(ag, seconds)],
      cpuMsPerRequest: workerdMsPerRequest(usage, requests),
      figures: {
        waiting: filled.reached,
        fillPerS: filled.perS,
        duplicateOffers: [...perCall.values()].reduce((s, c) => s + c - 1, 0),
        ...(Object.keys(failures).length ? { failures: JSON.stringify(failures) } : {}),
      },
      details: { "submit (last 1,000 of the fill)": filled.submit },
    };
  } finally {
    await fleet.close();
  }
}

export const memory: Scenario = {
  name: "memory",
  async run(ctx) {
    const manager = await ctx.accounts.manager();
    await clearQueue(ctx.system.url, manager.token);
    const results = [await soak(ctx)];
    const { base, depth: deep } = ctx.options.deep;
    const shallow = await cycleThrough(ctx, `deep queue ${base}`, base, manager.token);
    results.push(shallow);
    const deepRow = await cycleThrough(ctx, `deep queue ${deep}`, deep, manager.token);
    deepRow.figures.p99VsBase = ratio(deepRow.latency?.p99, shallow.latency?.p99);
    results.push(deepRow);
    return results;
  },
};
