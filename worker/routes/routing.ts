// Routing by skills (issue 17): agents' skills and the tenant's queues. D1 is written first
// (it owns both); the coordinator is then handed the change, so dispatch uses it at once.
import { createRoute, z } from "@hono/zod-openapi";
import { principalOf, requirePermission } from "../auth/middleware.ts";
import { can } from "../auth/permissions.ts";
import { coordinatorFor } from "../calls/coordinator.ts";
import type { Skills } from "../core/queue/types.ts";
import { database, type Database } from "../db/client.ts";
import { deleteQueue, listQueues, saveQueue, saveSkills, skillsOf, wireHoursOf, workingHoursOf, type StoredQueue } from "../db/routing.ts";
import { userInTenant } from "../db/users.ts";
import { forbidden, notFound } from "../http/errors.ts";
import { router } from "../http/openapi.ts";
import { iso, newId } from "../ids.ts";
import { errors, IdParam, json, jsonBody } from "../schemas/common.ts";
import {
  AgentSkills,
  QueueCreateRequest,
  QueueList,
  QueueUpdateRequest,
  RoutingQueueView,
  SkillsRequest,
  type RoutingQueueView as QueueViewType,
} from "../schemas/routing.ts";

/** Under /agents: an agent's skills. */
export const skillRoutes = router();
/** Under /queues: the tenant's routing queues. */
export const queueRoutes = router();

const skillsView = (agentId: string, skills: Skills, updatedAt: number | null) => ({
  agent_id: agentId,
  skills: Object.entries(skills)
    .map(([name, level]) => ({ name, level }))
    .sort((a, b) => (a.name < b.name ? -1 : 1)),
  updated_at: iso(updatedAt),
});

/** The agent `id` of the caller's tenant, someone who takes calls; 404 otherwise. */
async function agentOf(db: Database, tenantId: string, id: string) {
  const user = await userInTenant(db, tenantId, id);
  if (!user || !can(user.role, "video_calls.accept")) throw notFound("Agent");
  return user;
}

skillRoutes.openapi(
  createRoute({
    method: "put",
    path: "/{id}/skills",
    tags: ["routing"],
    summary: "Set an agent's skills (replacing those held)",
    security: [{ bearer: [] }],
    middleware: [requirePermission("video_calls.manage")] as const,
    request: { params: IdParam, body: jsonBody(SkillsRequest) },
    responses: { 200: json(AgentSkills, "The agent's skills"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    const who = principalOf(c);
    const { id } = c.req.valid("param");
    const db = database(c.env.DB);
    const agent = await agentOf(db, who.tenantId, id);
    const skills: Skills = Object.fromEntries(c.req.valid("json").skills.map((s) => [s.name, s.level]));
    const now = Date.now();
    await saveSkills(db, who.tenantId, agent.id, skills, now);
    await coordinatorFor(c.env, who.tenantId).setAgentSkills({ tenantId: who.tenantId, agentId: agent.id, name: agent.name, skills });
    return c.json(skillsView(agent.id, skills, now), 200);
  },
);

skillRoutes.openapi(
  createRoute({
    method: "get",
    path: "/{id}/skills",
    tags: ["routing"],
    summary: "An agent's skills (agents see their own; managers anyone's)",
    security: [{ bearer: [] }],
    middleware: [requirePermission("video_calls.view_queue")] as const,
    request: { params: IdParam },
    responses: { 200: json(AgentSkills, "The agent's skills"), ...errors(401, 403, 404) },
  }),
  async (c) => {
    const who = principalOf(c);
    const { id } = c.req.valid("param");
    if (id !== who.userId && !can(who.role, "video_calls.manage")) throw forbidden("video_calls.manage");
    const db = database(c.env.DB);
    const agent = await agentOf(db, who.tenantId, id);
    const stored = await skillsOf(db, who.tenantId, agent.id);
    return c.json(skillsView(agent.id, stored?.skills ?? {}, stored?.updatedAt ?? null), 200);
  },
);

function queueView(q: StoredQueue): QueueViewType {
  return {
    id: q.id,
    name: q.name,
    position: q.position,
    requires: q.requires,
    service_level_seconds: q.serviceLevelSeconds,
    relax_after_seconds: q.relaxAfterSeconds,
    relax_to_any_agent: q.relaxToAnyAgent,
    working_hours: wireHoursOf(q.workingHours),
    created_at: iso(q.createdAt)!,
    updated_at: iso(q.updatedAt)!,
  };
}

/** Hands the tenant's whole set of queues, as D1 now holds it, to the coordinator. */
async function handOver(env: Env, db: Database, tenantId: string) {
  await coordinatorFor(env, tenantId).configureQueues({ queues: await listQueues(db, tenantId) });
}

queueRoutes.openapi(
  createRoute({
    method: "post",
    path: "/",
    tags: ["routing"],
    summary: "Define a queue: calls whose requirements match its filter go to the first such queue",
    security: [{ bearer: [] }],
    middleware: [requirePermission("video_calls.manage")] as const,
    request: { body: jsonBody(QueueCreateRequest) },
    responses: { 201: json(RoutingQueueView, "The queue"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const who = principalOf(c);
    const body = c.req.valid("json");
    const db = database(c.env.DB);
    const existing = await listQueues(db, who.tenantId);
    const now = Date.now();
    const queue: StoredQueue = {
      id: newId(now),
      name: body.name,
      position: body.position ?? Math.max(0, ...existing.map((q) => q.position + 1)),
      requires: body.requires,
      serviceLevelSeconds: body.service_level_seconds,
      relaxAfterSeconds: body.relax_after_seconds,
      relaxToAnyAgent: body.relax_to_any_agent,
      workingHours: workingHoursOf(body.working_hours),
      createdAt: now,
      updatedAt: now,
    };
    await saveQueue(db, who.tenantId, queue);
    await handOver(c.env, db, who.tenantId);
    return c.json(queueView(queue), 201);
  },
);

queueRoutes.openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["routing"],
    summary: "The tenant's queues, in the order calls try them",
    security: [{ bearer: [] }],
    middleware: [requirePermission("video_calls.view_queue")] as const,
    responses: { 200: json(QueueList, "Queues"), ...errors(401, 403) },
  }),
  async (c) => c.json({ items: (await listQueues(database(c.env.DB), principalOf(c).tenantId)).map(queueView) }, 200),
);

queueRoutes.openapi(
  createRoute({
    method: "put",
    path: "/{id}",
    tags: ["routing"],
    summary: "Change a queue (the fields named); calls already in it stay",
    security: [{ bearer: [] }],
    middleware: [requirePermission("video_calls.manage")] as const,
    request: { params: IdParam, body: jsonBody(QueueUpdateRequest) },
    responses: { 200: json(RoutingQueueView, "The queue"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    const who = principalOf(c);
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const db = database(c.env.DB);
    const current = (await listQueues(db, who.tenantId)).find((q) => q.id === id);
    if (!current) throw notFound("Queue");
    const queue: StoredQueue = {
      ...current,
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.position !== undefined ? { position: body.position } : {}),
      ...(body.requires !== undefined ? { requires: body.requires } : {}),
      ...(body.service_level_seconds !== undefined ? { serviceLevelSeconds: body.service_level_seconds } : {}),
      ...(body.relax_after_seconds !== undefined ? { relaxAfterSeconds: body.relax_after_seconds } : {}),
      ...(body.relax_to_any_agent !== undefined ? { relaxToAnyAgent: body.relax_to_any_agent } : {}),
      ...(body.working_hours !== undefined ? { workingHours: workingHoursOf(body.working_hours) } : {}),
      updatedAt: Date.now(),
    };
    await saveQueue(db, who.tenantId, queue);
    await handOver(c.env, db, who.tenantId);
    return c.json(queueView(queue), 200);
  },
);

queueRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/{id}",
    tags: ["routing"],
    summary: "Delete a queue; its waiting calls move on to the first queue they match",
    security: [{ bearer: [] }],
    middleware: [requirePermission("video_calls.manage")] as const,
    request: { params: IdParam },
    responses: { 200: json(z.object({ deleted: z.literal(true) }), "Deleted"), ...errors(401, 403, 404) },
  }),
  async (c) => {
    const who = principalOf(c);
    const db = database(c.env.DB);
    if (!(await deleteQueue(db, who.tenantId, c.req.valid("param").id))) throw notFound("Queue");
    await handOver(c.env, db, who.tenantId);
    return c.json({ deleted: true as const }, 200);
  },
);
