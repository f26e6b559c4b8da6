// Fan-out: dashboards connected (`/dashboard/ws?streams=calls`), call events caused at a fixed
// rate (half enqueues → call_updated, half cancels → call_ended; no agent online), each event's
// latency from the request that caused it to its arrival on every socket; lost = deliveries
// that never came, dropped = sockets the server closed. The peer: a Socket.IO 4.8 server
// broadcasting the same events to the same number of clients.
import { deal } from "../lib/api.ts";
import { sleep } from "../lib/clock.ts";
import { Fleet, type Task } from "../lib/fleet.ts";
import { watchUsage } from "../lib/proc.ts";
import { workerdMsPerRequest, type Result } from "../lib/report.ts";
import { summarize } from "../lib/stats.ts";
import type { Arrivals } from "../roles/dashboards.ts";
import type { EnqueuerResult } from "../roles/enqueuer.ts";
import { clearQueue, prepareVerifications } from "../system/accounts.ts";
import { CUSTOMERS } from "./dispatch.ts";
import { clientUsage, joinDeliveries, ok, peerRun, round, serverRoles, type Context, type Scenario } from "./context.ts";

const DRAIN_MS = 5_000;

async function ours(ctx: Context, name: string, seconds: number): Promise<Result> {
  const { url } = ctx.system;
  const { dashboards, events } = ctx.options;
  const manager = await ctx.accounts.manager();
  const customers = await ctx.accounts.customers(CUSTOMERS);
  const cycles = Math.round((events / 2) * seconds);
  ctx.progress(`    preparing ${cycles} verifications`);
  const prepared = await prepareVerifications(url, customers, cycles);
  ctx.progress(`    ${dashboards} dashboards, ${events} events/s for ${seconds} s`);
  const tasks: Task[] = [
    ...deal(
      Array.from({ length: dashboards }, (_, i) => i),
      ctx.options.clients,
    ).map((share) => ({ role: "dashboards" as const, params: { baseUrl: url, token: manager.token, count: share.length } })),
    {
      role: "enqueuer",
      params: {
        baseUrl: url,
        rate: events / 2,
        count: cycles,
        concurrency: 1,
        maxMs: seconds * 1000 + 1000,
        prepared,
        customers: [],
        cancelAs: manager.token,
      },
    },
  ];
  const fleet = await Fleet.start(tasks, 600_000);
  try {
    const watch = watchUsage(serverRoles(ctx));
    fleet.go();
    const [enq] = await fleet.reports<EnqueuerResult>((t) => t.role === "enqueuer", seconds * 1000 + 300_000);
    await sleep(DRAIN_MS);
    fleet.stop((t) => t.role === "dashboards");
    const dash = await fleet.reports<Arrivals>((t) => t.role === "dashboards", 120_000);
    const usage = watch.stop();
    const { submits, cancels } = enq!.result;
    const sent = [
      ...submits.filter(ok).map((s) => ({ key: `${s.key}:call_updated`, sentAt: s.sentAt })),
      ...cancels.filter(ok).map((s) => ({ key: `${s.key}:call_ended`, sentAt: s.sentAt })),
    ];
    const joined = joinDeliveries(
      sent,
      dash.map((d) => d.result),
    );
    const requests = submits.length + cancels.length;
    const measuredS = seconds + DRAIN_MS / 1000;
    return {
      scenario: "fanout",
      name,
      system: "verifyid",
      runner: ctx.runner,
      measures: "request that caused the event sent → call_event on each dashboard socket",
      params: { dashboards, events, seconds },
      latency: summarize(joined.latency),
      lost: joined.lost,
      failed: [...submits, ...cancels].filter((s) => !ok(s)).length,
      requests,
      durationS: measuredS,
      throughput: round(sent.length / seconds),
      cpu: [...usage, clientUsage([...dash, enq!], measuredS)],
      cpuMsPerRequest: workerdMsPerRequest(usage, requests),
      figures: {
        events: sent.length,
        deliveries: joined.delivered,
        deliveriesPerS: round(joined.delivered / seconds),
        dropped: dash.reduce((s, d) => s + d.result.dropped, 0),
        workerdMsPerDelivery: joined.delivered
          ? round(usage.filter((u) => u.role.startsWith("workerd")).reduce((s, u) => s + u.cpuMs, 0) / joined.delivered, 3)
          : null,
      },
      details: {
        submit: summarize(submits.filter(ok).map((s) => s.doneAt - s.sentAt)),
        cancel: summarize(cancels.filter(ok).map((s) => s.doneAt - s.sentAt)),
      },
    };
  } finally {
    await fleet.close();
    await clearQueue(url, manager.token);
  }
}

async function socketIo(ctx: Context, name: string, peerOf: string, seconds: number): Promise<Result> {
  const { dashboards, events } = ctx.options;
  const peer = await ctx.peers.socketIo();
  const count = events * seconds;
  const tasks: Task[] = [
    ...deal(
      Array.from({ length: dashboards }, (_, i) => i),
      ctx.options.clients,
    ).map((share) => ({ role: "socketio-clients" as const, params: { url: peer.url, count: share.length } })),
    { role: "emitter", params: { url: peer.url, rate: events, count } },
  ];
  const fleet = await Fleet.start(tasks, 600_000);
  try {
    const watch = watchUsage([{ role: "socket.io server", pids: [peer.pid] }]);
    fleet.go();
    const [em] = await fleet.reports<EnqueuerResult>((t) => t.role === "emitter", seconds * 1000 + 300_000);
    await sleep(DRAIN_MS);
    fleet.stop((t) => t.role === "socketio-clients");
    const clients = await fleet.reports<Arrivals>((t) => t.role === "socketio-clients", 120_000);
    const usage = watch.stop();
    const sent = em!.result.submits.filter(ok);
    const joined = joinDeliveries(
      sent,
      clients.map((c) => c.result),
    );
    const measuredS = seconds + DRAIN_MS / 1000;
    return {
      scenario: "fanout",
      name,
      system: "socket.io",
      runner: null,
      measures: "POST /emit sent → call_event on each client",
      params: { clients: dashboards, events, seconds },
      latency: summarize(joined.latency),
      lost: joined.lost,
      failed: em!.result.submits.length - sent.length,
      requests: em!.result.submits.length,
      durationS: measuredS,
      throughput: round(sent.length / seconds),
      cpu: [...usage, clientUsage([...clients, em!], measuredS)],
      cpuMsPerRequest: null,
      figures: { events: sent.length, deliveries: joined.delivered, dropped: clients.reduce((s, c) => s + c.result.dropped, 0) },
      details: {},
      peerOf,
    };
  } finally {
    await fleet.close();
  }
}

export const fanout: Scenario = {
  name: "fanout",
  async run(ctx) {
    const seconds = ctx.options.seconds ?? 20;
    const name = `fan-out ${ctx.options.dashboards} dashboards, ${ctx.options.events}/s`;
    const results = [await ours(ctx, name, seconds)];
    if (ctx.withPeers) results.push(...(await peerRun(ctx, "Socket.IO peer", () => socketIo(ctx, `${name} (Socket.IO)`, name, seconds))));
    return results;
  },
};
