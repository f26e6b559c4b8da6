// Heartbeats: agents beating over their open sockets (heartbeat → heartbeat_ack) and over HTTP
// (`POST /agents/heartbeat`) at the same time, each at its own rate. Both rows share one CPU
// window, so their workerd ms per request is the same figure.
import { deal } from "../lib/api.ts";
import { Fleet, type Task } from "../lib/fleet.ts";
import { watchUsage } from "../lib/proc.ts";
import { workerdMsPerRequest, type Result } from "../lib/report.ts";
import { summarize } from "../lib/stats.ts";
import type { AgentsResult } from "../roles/agents.ts";
import type { HttpHeartbeatsResult } from "../roles/http-heartbeats.ts";
import { clientUsage, mergeCounts, round, serverRoles, type Scenario } from "./context.ts";

export const heartbeats: Scenario = {
  name: "heartbeats",
  async run(ctx) {
    const { url } = ctx.system;
    const { agents: n, hbSocketRate, hbHttpRate, clients } = ctx.options;
    const seconds = ctx.options.seconds ?? 20;
    const agents = await ctx.accounts.agents(n);
    ctx.progress(`    ${n} agents: ${hbSocketRate}/s over sockets, ${hbHttpRate}/s over HTTP, ${seconds} s`);
    const shares = deal(agents, clients);
    const tasks: Task[] = [
      ...shares.map((share) => ({
        role: "agents" as const,
        params: {
          baseUrl: url,
          agents: share.map((a) => ({ id: a.id, token: a.token })),
          takeCalls: false,
          callMs: 0,
          onlineAt: "never",
          // Every agent beats at the same interval; together they make the rate.
          beatEveryMs: hbSocketRate ? (1000 * n) / hbSocketRate : 3_600_000,
        },
      })),
      ...(hbHttpRate
        ? [
            {
              role: "http-heartbeats" as const,
              params: { baseUrl: url, tokens: agents.map((a) => a.token), rate: hbHttpRate, durationMs: seconds * 1000 },
            },
          ]
        : []),
    ];
    const fleet = await Fleet.start(tasks);
    try {
      const watch = watchUsage(serverRoles(ctx));
      fleet.go();
      const http = await fleet.reports<HttpHeartbeatsResult>((t) => t.role === "http-heartbeats", seconds * 1000 + 120_000);
      if (!hbHttpRate) await new Promise((d) => setTimeout(d, seconds * 1000));
      fleet.stop((t) => t.role === "agents");
      const ag = await fleet.reports<AgentsResult>((t) => t.role === "agents", 60_000);
      const usage = watch.stop();
      const socketBeats = ag.reduce((s, r) => s + r.result.beats.sent, 0);
      const acked = ag.reduce((s, r) => s + r.result.beats.acked, 0);
      const httpSent = http.reduce((s, r) => s + r.result.sent, 0);
      const httpOk = http.reduce((s, r) => s + r.result.ok, 0);
      const requests = socketBeats + httpSent;
      const cpu = [...usage, clientUsage([...ag, ...http], seconds)];
      const perRequest = workerdMsPerRequest(usage, requests);
      const base = {
        scenario: "heartbeats",
        system: "verifyid" as const,
        runner: ctx.runner,
        durationS: seconds,
        cpu,
        cpuMsPerRequest: perRequest,
        details: {},
      };
      const errors = mergeCounts(ag.map((r) => r.result.frames)).error ?? 0;
      const results: Result[] = [
        {
          ...base,
          name: `heartbeats, socket ${hbSocketRate}/s`,
          measures: "heartbeat sent on the agent socket → heartbeat_ack",
          params: { agents: n, rate: hbSocketRate, seconds },
          latency: summarize(ag.flatMap((r) => r.result.beats.latency)),
          lost: socketBeats - acked,
          failed: errors,
          requests: socketBeats,
          throughput: round(acked / seconds),
          figures: {
            sent: socketBeats,
            acked,
            droppedSockets: ag.reduce((s, r) => s + r.result.dropped, 0),
            cpuWindow: "shared with HTTP beats",
          },
        },
      ];
      if (hbHttpRate)
        results.push({
          ...base,
          name: `heartbeats, HTTP ${hbHttpRate}/s`,
          measures: "POST /agents/heartbeat, request → response",
          params: { agents: n, rate: hbHttpRate, seconds },
          latency: summarize(http.flatMap((r) => r.result.latency)),
          lost: null,
          failed: httpSent - httpOk,
          requests: httpSent,
          throughput: round(httpOk / seconds),
          figures: { failures: JSON.stringify(mergeCounts(http.map((r) => r.result.failures))), cpuWindow: "shared with socket beats" },
        });
      return results;
    } finally {
      await fleet.close();
    }
  },
};
