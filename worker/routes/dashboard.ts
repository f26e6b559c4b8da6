// Real-time dashboard API (API.md, seed 002): the caller's tenant only (from the token, never a
// parameter). Live figures come from the coordinator; history from D1, where heavy queries are
// cached for 30 s (dashboard/cache.ts). The live stream's sockets belong to the tenant's
// DashboardHub, not to the coordinator.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { SocketPrincipal } from "../sockets/protocol.ts";
import { principalOf, requirePermission } from "../auth/middleware.ts";
import { can } from "../auth/permissions.ts";
import { configFrom } from "../config.ts";
import { agentPerformance, callsPerHour } from "../core/metrics.ts";
import { database } from "../db/client.ts";
import { listUsers } from "../db/users.ts";
import { cachedJson } from "../dashboard/cache.ts";
import { combine, history } from "../dashboard/metrics.ts";
import { agentAggregates, callsByHour, firstHourStart, noAgentAggregates } from "../dashboard/queries.ts";
import { queueFigures } from "../dashboard/queue-figures.ts";
import { recentCalls } from "../dashboard/recent.ts";
import type { AppEnv } from "../http/app-env.ts";
import { ApiError, forbidden, validationError } from "../http/errors.ts";
import { router } from "../http/openapi.ts";
import { byUser, rateLimit } from "../http/rate-limits.ts";
import { coordinatorFor } from "../calls/coordinator.ts";
import { errors, json } from "../schemas/common.ts";
import {
  ActiveCallsResponse,
  AgentPerformanceResponse,
  CallsPerHourResponse,
  DashboardHealth,
  HoursQuery,
  MetricsResponse,
  RecentCallsResponse,
  RecentQuery,
} from "../schemas/dashboard.ts";
import { DashboardStream } from "../schemas/messages.ts";
import { QueueFiguresResponse } from "../schemas/routing.ts";
import { forwardUpgrade, requireUpgrade, upgraded } from "./sockets.ts";

export const dashboardRoutes = router();
const CACHE_SECONDS = 30;

dashboardRoutes.openapi(
  createRoute({
    method: "get",
    path: "/health",
    tags: ["dashboard"],
    summary: "Dashboard service health (public)",
    responses: { 200: json(DashboardHealth, "Healthy") },
  }),
  (c) => c.json({ status: "healthy" as const, websocket_enabled: true as const }, 200),
);

const analytics = requirePermission("video_calls.analytics");

/** History for the caller's tenant, through the heavy-query cache. */
function cachedHistory<T>(c: Context<AppEnv>, name: string, compute: () => Promise<T>): Promise<T> {
  return cachedJson(`${principalOf(c).tenantId}/${name}`, CACHE_SECONDS, compute);
}

dashboardRoutes.openapi(
  createRoute({
    method: "get",
    path: "/metrics",
    tags: ["dashboard"],
    summary: "Call and service-level metrics for the last `hours` hours",
    security: [{ bearer: [] }],
    middleware: [analytics] as const,
    request: { query: HoursQuery },
    responses: { 200: json(MetricsResponse, "Metrics"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const { hours } = c.req.valid("query");
    const who = principalOf(c);
    const { serviceLevelSeconds } = configFrom(c.env);
    const { live } = await coordinatorFor(c.env, who.tenantId).dashboardLive();
    const past = await cachedHistory(c, `history/${hours}`, () => history(c.env.DB, who.tenantId, hours, serviceLevelSeconds));
    return c.json({ metrics: combine(past, live, hours, serviceLevelSeconds) }, 200);
  },
);

dashboardRoutes.openapi(
  createRoute({
    method: "get",
    path: "/queues",
    tags: ["dashboard"],
    summary: "Per-queue figures: waiting, longest wait, service level against the queue's target, abandonment",
    security: [{ bearer: [] }],
    middleware: [analytics] as const,
    request: { query: HoursQuery },
    responses: { 200: json(QueueFiguresResponse, "Per-queue figures"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const { hours } = c.req.valid("query");
    const who = principalOf(c);
    const coordinator = coordinatorFor(c.env, who.tenantId);
    const live = await coordinator.queueFigures(who.tenantId);
    await coordinator.flushOutbox();
    const { serviceLevelSeconds } = configFrom(c.env);
    // Not cached: the live half must be current, and each queue's aggregate is one index range.
    const queues = await queueFigures(c.env.DB, who.tenantId, live, hours, serviceLevelSeconds);
    return c.json({ queues, period_hours: hours }, 200);
  },
);

dashboardRoutes.openapi(
  createRoute({
    method: "get",
    path: "/active-calls",
    tags: ["dashboard"],
    summary: "Calls with an agent right now",
    security: [{ bearer: [] }],
    middleware: [analytics] as const,
    responses: { 200: json(ActiveCallsResponse, "Active calls"), ...errors(401, 403) },
  }),
  async (c) => {
    const { activeCalls } = await coordinatorFor(c.env, principalOf(c).tenantId).dashboardLive();
    return c.json({ active_calls: activeCalls, count: activeCalls.length }, 200);
  },
);

dashboardRoutes.openapi(
  createRoute({
    method: "get",
    path: "/recent-calls",
    tags: ["dashboard"],
    summary: "The most recent calls, newest first",
    security: [{ bearer: [] }],
    middleware: [analytics] as const,
    request: { query: RecentQuery },
    responses: { 200: json(RecentCallsResponse, "Recent calls"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const who = principalOf(c);
    await coordinatorFor(c.env, who.tenantId).flushOutbox();
    const calls = await recentCalls(c.env.DB, who.tenantId, c.req.valid("query").limit);
    return c.json({ calls, count: calls.length }, 200);
  },
);

dashboardRoutes.openapi(
  createRoute({
    method: "get",
    path: "/agent-performance",
    tags: ["dashboard"],
    summary: "Per-agent performance (agents see only their own)",
    security: [{ bearer: [] }],
    request: { query: HoursQuery },
    responses: { 200: json(AgentPerformanceResponse, "Performance"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const who = principalOf(c);
    const everyone = can(who.role, "video_calls.analytics");
    if (!everyone && !can(who.role, "video_calls.accept")) throw forbidden("video_calls.analytics");
    const { hours } = c.req.valid("query");
    const coordinator = coordinatorFor(c.env, who.tenantId);
    await coordinator.flushOutbox();
    const since = Date.now() - hours * 3_600_000;
    const rows = await cachedHistory(c, `agents/${hours}/${everyone ? "all" : who.userId}`, () =>
      agentAggregates(c.env.DB, who.tenantId, since, everyone ? undefined : who.userId),
    );
    const people = (await listUsers(database(c.env.DB), who.tenantId)).filter(
      (u) => can(u.role, "video_calls.accept") && (everyone || u.id === who.userId),
    );
    const live = await coordinator.availability(people.map((p) => ({ id: p.id, name: p.name })));
    const agents = people.map((p, i) => {
      const row = rows.find((r) => r.agentId === p.id) ?? noAgentAggregates(p.id);
      return { ...agentPerformance(row, p.name), live: live[i]! };
    });
    return c.json({ agents, count: agents.length, period_hours: hours }, 200);
  },
);

dashboardRoutes.openapi(
  createRoute({
    method: "get",
    path: "/calls-per-hour",
    tags: ["dashboard"],
    summary: "Calls created per UTC hour, every hour of the period",
    security: [{ bearer: [] }],
    middleware: [analytics] as const,
    request: { query: HoursQuery },
    responses: { 200: json(CallsPerHourResponse, "Calls per hour"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const who = principalOf(c);
    const { hours } = c.req.valid("query");
    await coordinatorFor(c.env, who.tenantId).flushOutbox();
    const now = Date.now();
    const counts = await cachedHistory(c, `hourly/${hours}/${Math.floor(now / 3_600_000)}`, () =>
      callsByHour(c.env.DB, who.tenantId, firstHourStart(now, hours)),
    );
    return c.json({ data: callsPerHour(counts, now, hours), period_hours: hours }, 200);
  },
);

dashboardRoutes.get("/ws", analytics, rateLimit("sockets", byUser), async (c) => {
  requireUpgrade(c);
  const who = principalOf(c);
  const hours = HoursQuery.safeParse({ hours: c.req.query("hours") ?? undefined });
  if (!hours.success) throw validationError(hours.error);
  const wanted = c.req.query("streams")?.split(",").filter(Boolean);
  const streams = wanted ? wanted.map((s) => DashboardStream.safeParse(s)) : null;
  if (streams?.some((s) => !s.success))
    throw new ApiError(400, "validation_error", "streams must list metrics, calls or agents.", { streams: "unknown stream" });
  const principal: SocketPrincipal = {
    kind: "dashboard",
    tenantId: who.tenantId,
    userId: who.userId,
    name: who.name,
    role: who.role,
    manager: true,
    canAccept: false,
    hours: hours.data.hours,
    ...(streams ? { streams: streams.map((s) => s.data!) } : {}),
  };
  return upgraded(c.env.DASHBOARD_HUB.getByName(who.tenantId).fetch(forwardUpgrade(c, principal)));
});
