// Agent availability, status, heartbeats and queue settings (API.md, seed 004).
import { createRoute } from "@hono/zod-openapi";
import { principalOf, requirePermission } from "../auth/middleware.ts";
import { can } from "../auth/permissions.ts";
import { configFrom } from "../config.ts";
import { database } from "../db/client.ts";
import { tenantSettings, updateTenantSettings } from "../db/tenants.ts";
import { listUsers } from "../db/users.ts";
import { router } from "../http/openapi.ts";
import { iso } from "../ids.ts";
import { coordinatorFor, presenceFor, unwrap } from "../calls/coordinator.ts";
import { presenceReady } from "../core/readiness.ts";
import { errors, json, jsonBody } from "../schemas/common.ts";
import {
  AgentStatusRequest,
  AgentViewSchema,
  AvailabilityResponse,
  HeartbeatRequest,
  HeartbeatResponse,
  HeartbeatStats,
  SettingsRequest,
  TenantSettings,
} from "../schemas/video-calls.ts";

/** Under /agents: heartbeats. */
export const agentRoutes = router();
/** Under /video-calls: the queue's agents and its settings. */
export const queueStaffRoutes = router();

/** Everyone in the tenant who can take calls. */
async function callTakers(d1: D1Database, tenantId: string) {
  const users = await listUsers(database(d1), tenantId);
  return users.filter((u) => can(u.role, "video_calls.accept")).map((u) => ({ id: u.id, name: u.name }));
}

queueStaffRoutes.openapi(
  createRoute({
    method: "get",
    path: "/agents/availability",
    tags: ["agents"],
    summary: "Every agent's status, load and readiness",
    security: [{ bearer: [] }],
    middleware: [requirePermission("video_calls.view_queue")] as const,
    responses: { 200: json(AvailabilityResponse, "Agents"), ...errors(401, 403) },
  }),
  async (c) => {
    const who = principalOf(c);
    const people = await callTakers(c.env.DB, who.tenantId);
    const agents = await coordinatorFor(c.env, who.tenantId).availability(people);
    // The coordinator hears presence changes, not beats: while beats keep coming its copy holds
    // the first of them, so the latest beat comes from presence, which owns it.
    const presence = await Promise.all(agents.map((a) => presenceFor(c.env, who.tenantId, a.agent_id).snapshot()));
    return c.json(
      { agents: agents.map((a, i) => ({ ...a, last_heartbeat: iso(presence[i]!.presence.lastBeatAt) ?? a.last_heartbeat })) },
      200,
    );
  },
);

queueStaffRoutes.openapi(
  createRoute({
    method: "post",
    path: "/agents/status",
    tags: ["agents"],
    summary: "Set your own status (and capacity)",
    security: [{ bearer: [] }],
    middleware: [requirePermission("video_calls.accept")] as const,
    request: { body: jsonBody(AgentStatusRequest) },
    responses: { 200: json(AgentViewSchema, "Your availability"), ...errors(400, 401, 403, 409) },
  }),
  async (c) => {
    const who = principalOf(c);
    const { status, max_concurrent_calls } = c.req.valid("json");
    const result = unwrap(
      await coordinatorFor(c.env, who.tenantId).setAgentStatus({
        tenantId: who.tenantId,
        agentId: who.userId,
        name: who.name,
        status,
        ...(max_concurrent_calls ? { maxCalls: max_concurrent_calls } : {}),
      }),
    );
    return c.json(result.agent, 200);
  },
);

agentRoutes.openapi(
  createRoute({
    method: "post",
    path: "/heartbeat",
    tags: ["agents"],
    summary: "Agent heartbeat: device connectivity and readiness",
    security: [{ bearer: [] }],
    middleware: [requirePermission("video_calls.accept")] as const,
    request: { body: jsonBody(HeartbeatRequest) },
    responses: { 200: json(HeartbeatResponse, "Readiness"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const who = principalOf(c);
    const { device_connected, current_status } = c.req.valid("json");
    const reply = await presenceFor(c.env, who.tenantId, who.userId).beat({
      tenantId: who.tenantId,
      agentId: who.userId,
      name: who.name,
      deviceConnected: device_connected,
      ...(current_status ? { currentStatus: current_status } : {}),
    });
    return c.json(reply, 200);
  },
);

agentRoutes.openapi(
  createRoute({
    method: "get",
    path: "/heartbeat/stats",
    tags: ["agents"],
    summary: "Heartbeat statistics for managers",
    security: [{ bearer: [] }],
    middleware: [requirePermission("video_calls.manage")] as const,
    responses: { 200: json(HeartbeatStats, "Statistics"), ...errors(401, 403) },
  }),
  async (c) => {
    const who = principalOf(c);
    const config = configFrom(c.env);
    const people = await callTakers(c.env.DB, who.tenantId);
    const coordinator = coordinatorFor(c.env, who.tenantId);
    const [agents, summary] = await Promise.all([coordinator.availability(people), coordinator.summary()]);
    const snapshots = await Promise.all(people.map((p) => presenceFor(c.env, who.tenantId, p.id).snapshot()));
    // Status and readiness as the coordinator computes them (readinessScore), the heartbeat as
    // presence knows it now.
    const rows = agents.map((a, i) => {
      const { presence, beatsToday } = snapshots[i]!;
      return {
        agent_id: a.agent_id,
        name: a.name,
        status: a.status,
        last_heartbeat: iso(presence.lastBeatAt),
        heartbeat_age_seconds: presence.lastBeatAt === null ? null : Math.round((presence.at - presence.lastBeatAt) / 1000),
        heartbeat_fresh: presence.fresh,
        device_connected: presence.deviceConnected,
        readiness_score: a.readiness_score,
        beats_today: beatsToday,
      };
    });
    return c.json(
      {
        heartbeat_interval_seconds: config.readiness.heartbeatIntervalSeconds,
        offline_after_seconds: config.readiness.offlineAfterSeconds,
        features: config.queue.features,
        agents_total: rows.length,
        agents_online: rows.filter((r) => r.status === "online").length,
        fresh_heartbeats: rows.filter((r) => r.heartbeat_fresh).length,
        devices_connected: rows.filter((r) => r.device_connected).length,
        // Online and passing the queue's own presence test.
        ready_agents: agents.filter((a, i) => a.status === "online" && presenceReady(snapshots[i]!.presence, config.queue.features)).length,
        fallback_offers: summary.counters.fallbackOffers,
        agents: rows,
      },
      200,
    );
  },
);

queueStaffRoutes.openapi(
  createRoute({
    method: "post",
    path: "/settings",
    tags: ["agents"],
    summary: "Choose the tenant's assignment strategy and whether calls may be recorded",
    security: [{ bearer: [] }],
    middleware: [requirePermission("video_calls.manage")] as const,
    request: { body: jsonBody(SettingsRequest) },
    responses: { 200: json(TenantSettings, "Saved"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const who = principalOf(c);
    const { assignment_strategy, recording_enabled } = c.req.valid("json");
    const settings = await updateTenantSettings(database(c.env.DB), who.tenantId, {
      ...(assignment_strategy ? { assignment_strategy } : {}),
      ...(recording_enabled !== undefined ? { recording_enabled } : {}),
    });
    // D1 holds the settings; the coordinator is told so that dispatch uses the strategy at once.
    if (assignment_strategy) await coordinatorFor(c.env, who.tenantId).configure({ tenantId: who.tenantId, strategy: assignment_strategy });
    return c.json(settings, 200);
  },
);

queueStaffRoutes.openapi(
  createRoute({
    method: "get",
    path: "/settings",
    tags: ["agents"],
    summary: "The tenant's queue settings",
    security: [{ bearer: [] }],
    middleware: [requirePermission("video_calls.view_queue")] as const,
    responses: { 200: json(TenantSettings, "Settings"), ...errors(401, 403) },
  }),
  async (c) => c.json(await tenantSettings(database(c.env.DB), principalOf(c).tenantId), 200),
);
