// The agent_skills and routing_queues tables, written only here (issue 17). D1 owns both; the
// QueueCoordinator is handed the whole set after every change and dispatches with its copy.
import { and, asc, eq } from "drizzle-orm";
import type { RoutingQueue, Skills, WorkingHours } from "../core/queue/types.ts";
import type { Database } from "./client.ts";
import { agentSkills, routingQueues } from "./schema.ts";

export type StoredQueue = RoutingQueue & { createdAt: number; updatedAt: number };
export type StoredSkills = { skills: Skills; updatedAt: number };

const minuteOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
const clockOf = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

/** Working hours as stored (`{days, from, to}`, the wire form) and as the core reads them. */
export const workingHoursOf = (wire: { days: number[]; from: string; to: string } | null): WorkingHours | null =>
  wire ? { days: [...wire.days], fromMinute: minuteOf(wire.from), toMinute: minuteOf(wire.to) } : null;
export const wireHoursOf = (hours: WorkingHours | null) =>
  hours ? { days: hours.days, from: clockOf(hours.fromMinute), to: clockOf(hours.toMinute) } : null;

function queueOfRow(row: typeof routingQueues.$inferSelect): StoredQueue {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    requires: JSON.parse(row.requires) as string[],
    serviceLevelSeconds: row.serviceLevelSeconds,
    relaxAfterSeconds: row.relaxAfterSeconds,
    relaxToAnyAgent: row.relaxToAnyAgent,
    workingHours: workingHoursOf(row.workingHours ? JSON.parse(row.workingHours) : null),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The tenant's queues in the order calls try them. */
export async function listQueues(db: Database, tenantId: string): Promise<StoredQueue[]> {
  const rows = await db
    .select()
    .from(routingQueues)
    .where(eq(routingQueues.tenantId, tenantId))
    .orderBy(asc(routingQueues.position), asc(routingQueues.id));
  return rows.map(queueOfRow);
}

/** Inserts or replaces one of the tenant's queues (`ifAbsent`: leaves one that exists as it is). */
export async function saveQueue(db: Database, tenantId: string, queue: StoredQueue, { ifAbsent = false } = {}): Promise<void> {
  const values = {
    id: queue.id,
    tenantId,
    name: queue.name,
    position: queue.position,
    requires: JSON.stringify(queue.requires),
    serviceLevelSeconds: queue.serviceLevelSeconds,
    relaxAfterSeconds: queue.relaxAfterSeconds,
    relaxToAnyAgent: queue.relaxToAnyAgent,
    workingHours: queue.workingHours ? JSON.stringify(wireHoursOf(queue.workingHours)) : null,
    createdAt: queue.createdAt,
    updatedAt: queue.updatedAt,
  };
  const { id: _id, tenantId: _t, createdAt: _c, ...changes } = values;
  const insert = db.insert(routingQueues).values(values);
  await (ifAbsent ? insert.onConflictDoNothing() : insert.onConflictDoUpdate({ target: routingQueues.id, set: changes }));
}

/** Removes one of the tenant's queues; false when it has none by that id. */
export async function deleteQueue(db: Database, tenantId: string, id: string): Promise<boolean> {
  const removed = await db
    .delete(routingQueues)
    .where(and(eq(routingQueues.tenantId, tenantId), eq(routingQueues.id, id)))
    .returning({ id: routingQueues.id });
  return removed.length > 0;
}

/** One agent's skills, or null when none were ever set. */
export async function skillsOf(db: Database, tenantId: string, agentId: string): Promise<StoredSkills | null> {
  const row = await db.query.agentSkills.findFirst({ where: and(eq(agentSkills.tenantId, tenantId), eq(agentSkills.agentId, agentId)) });
  return row ? { skills: JSON.parse(row.skills) as Skills, updatedAt: row.updatedAt } : null;
}

/** Every agent's skills in the tenant (for a coordinator that has not heard them yet). */
export async function skillsOfTenant(db: Database, tenantId: string): Promise<Array<{ agentId: string; skills: Skills }>> {
  const rows = await db.select().from(agentSkills).where(eq(agentSkills.tenantId, tenantId));
  return rows.map((r) => ({ agentId: r.agentId, skills: JSON.parse(r.skills) as Skills }));
}

/** Replaces the agent's skills (`ifAbsent`: only if none were ever set). */
export async function saveSkills(db: Database, tenantId: string, agentId: string, skills: Skills, now: number, { ifAbsent = false } = {}) {
  const data = JSON.stringify(skills);
  const insert = db.insert(agentSkills).values({ agentId, tenantId, skills: data, updatedAt: now });
  await (ifAbsent
    ? insert.onConflictDoNothing()
    : insert.onConflictDoUpdate({ target: agentSkills.agentId, set: { skills: data, updatedAt: now } }));
}
