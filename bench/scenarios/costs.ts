// Per-request costs on an idle server, one request at a time: workerd's CPU time (utime+stime
// from /proc) over a batch, less what it burns idle over the same time, divided by the batch.
// Kinds: health, an HTTP heartbeat, an enqueue (submit), a full call cycle (submit, offer,
// accept, start, complete), and an enqueue with 0/100/1,000 dashboards connected. Each figure is
// also given as a multiple of the floor (the hello-world worker under the same runner).
import { deal } from "../lib/api.ts";
import { sleep } from "../lib/clock.ts";
import { Fleet } from "../lib/fleet.ts";
import { cpuMsOf, watchUsage } from "../lib/proc.ts";
import { workerdMsPerRequest, type Result } from "../lib/report.ts";
import { summarize } from "../lib/stats.ts";
import type { SequenceCommand, SequenceResult } from "../roles/sequence.ts";
import { clearQueue, prepareVerifications } from "../system/accounts.ts";
import { CUSTOMERS } from "./dispatch.ts";
import { round, serverRoles, type Context, type Scenario } from "./context.ts";

/** workerd CPU ms a second when nothing is asked of it. */
async function idleRate(ctx: Context, ms = 3000): Promise<number> {
  const pids = ctx.system.workerd.flatMap((r) => r.pids);
  const before = pids.reduce((s, p) => s + cpuMsOf(p), 0);
  await sleep(ms);
  return (pids.reduce((s, p) => s + cpuMsOf(p), 0) - before) / (ms / 1000);
}

export const costs: Scenario = {
  name: "costs",
  async run(ctx) {
    const { url } = ctx.system;
    const n = ctx.options.costRequests;
    const manager = await ctx.accounts.manager();
    const [agent] = await ctx.accounts.agents(1);
    const customers = await ctx.accounts.customers(CUSTOMERS);
    const dashboardCounts = ctx.options.costDashboards;
    ctx.progress(`    preparing ${n * (1 + dashboardCounts.length)} verifications`);
    const prepared = await prepareVerifications(url, customers, n * (1 + dashboardCounts.length));
    const batches = Array.from({ length: 1 + dashboardCounts.length }, (_, i) => prepared.slice(i * n, (i + 1) * n));
    const fleet = await Fleet.start([{ role: "sequence", params: {} }]);
    const results: Result[] = [];
    try {
      await fleet.command(0, { op: "get", url: `${url}/api/v1/health`, n: 5 });
      const idle = await idleRate(ctx);
      ctx.progress(`    idle workerd: ${round(idle, 2)} ms CPU/s`);
      const measure = async (name: string, cmd: SequenceCommand, unit: string, params: Record<string, number | string> = {}) => {
        ctx.progress(`    ${name}`);
        const started = performance.now();
        const watch = watchUsage(serverRoles(ctx));
        const out = await fleet.command<SequenceResult>(0, cmd);
        const usage = watch.stop();
        const seconds = (performance.now() - started) / 1000;
        // Take off what workerd would have used idle over the same time.
        for (const u of usage) if (u.role === "workerd (worker)") u.cpuMs = Math.max(0, Math.round(u.cpuMs - idle * seconds));
        const units = cmd.op === "cycles" ? out.latency.length + out.failures : out.requests;
        const perUnit = workerdMsPerRequest(usage, units);
        results.push({
          scenario: "costs",
          name,
          system: "verifyid",
          runner: ctx.runner,
          measures: `${unit}, one at a time on an idle server`,
          params: { n, ...params },
          latency: summarize(out.latency),
          lost: null,
          failed: out.failures,
          requests: out.requests,
          durationS: round(seconds),
          throughput: round(units / seconds),
          cpu: usage,
          cpuMsPerRequest: perUnit,
          figures: {
            ...(cmd.op === "cycles" ? { msPerRequestInCycle: workerdMsPerRequest(usage, out.requests) } : {}),
            ...(ctx.floorMs && perUnit !== null ? { timesFloor: round(perUnit / ctx.floorMs, 2) } : {}),
            idleMsPerS: round(idle, 2),
          },
          details: {},
        });
      };
      await measure("cost: health", { op: "get", url: `${url}/api/v1/health`, n }, "GET /api/v1/health");
      await measure(
        "cost: heartbeat",
        { op: "post", baseUrl: url, path: "/agents/heartbeat", token: agent!.token, json: { device_connected: true }, n },
        "POST /agents/heartbeat",
      );
      await measure(
        "cost: call cycle",
        { op: "cycles", baseUrl: url, agent: { id: agent!.id, token: agent!.token }, items: batches[0]! },
        "one full call cycle (4 requests)",
      );
      for (const [i, dashboards] of dashboardCounts.entries()) {
        const watchers = dashboards
          ? await Fleet.start(
              deal(
                Array.from({ length: dashboards }, (_, j) => j),
                ctx.options.clients,
              ).map((share) => ({ role: "dashboards" as const, params: { baseUrl: url, token: manager.token, count: share.length } })),
            )
          : null;
        try {
          watchers?.go(0);
          await measure(
            `cost: enqueue, ${dashboards} dashboards`,
            { op: "submit", baseUrl: url, items: batches[i + 1]! },
            "POST /verifications/{id}/submit (no agent online)",
            { dashboards },
          );
        } finally {
          watchers?.stop();
          await watchers?.close();
          await clearQueue(url, manager.token);
        }
      }
    } finally {
      await fleet.close();
    }
    return results;
  },
};
