// Routing by skills (issue 17): agents' skills and the tenant's queues, on the wire.
import { z } from "@hono/zod-openapi";
import { Timestamp } from "./common.ts";

/** `family:value`, lower case: `lang:de`, `doc:residence_permit`, `country:de`. */
export const SkillName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z]+:[a-z0-9_-]{1,40}$/, "a skill is named like lang:de or doc:residence_permit");
export const SkillLevel = z
  .number()
  .int("level must be a whole number from 1 to 5")
  .min(1, "level must be 1 to 5")
  .max(5, "level must be 1 to 5");

export const Skill = z.object({ name: SkillName, level: SkillLevel }).openapi("Skill");

const uniqueNames = (skills: Array<{ name: string }>) => new Set(skills.map((s) => s.name)).size === skills.length;

export const SkillsRequest = z
  .object({ skills: z.array(Skill).max(50).refine(uniqueNames, "each skill may appear once") })
  .strict()
  .openapi("AgentSkillsRequest");

export const AgentSkills = z
  .object({ agent_id: z.string(), skills: z.array(Skill), updated_at: Timestamp.nullable() })
  .openapi("AgentSkills");
export type AgentSkills = z.infer<typeof AgentSkills>;

/** A requirement a client app sets on a verification: a skill at least at a level (default 1). */
export const Requirement = z.object({ skill: SkillName, level: SkillLevel.default(1) }).openapi("Requirement");

const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "times are HH:MM (UTC)");
export const WorkingHours = z
  .object({
    days: z.array(z.number().int().min(0).max(6)).min(1).max(7).openapi({ description: "0 = Sunday … 6 = Saturday (UTC)" }),
    from: Clock,
    to: Clock,
  })
  .refine((h) => h.from < h.to, "working_hours.from must be before to")
  .openapi("WorkingHours");
export type WorkingHours = z.infer<typeof WorkingHours>;

const queueFields = {
  name: z.string().trim().min(1, "name must not be empty").max(100),
  position: z.number().int().min(0).max(1000).optional().openapi({ description: "Order calls try queues in; default last" }),
  requires: z
    .array(SkillName)
    .max(10)
    .default([])
    .openapi({ description: "A call goes here when its requirements name every one of these skills" }),
  service_level_seconds: z.number().int().min(1).max(86_400).default(60),
  relax_after_seconds: z
    .number()
    .int()
    .min(1)
    .max(86_400)
    .nullable()
    .default(null)
    .openapi({ description: "After this long: the skills at any level; after twice as long (if allowed): any agent" }),
  relax_to_any_agent: z.boolean().default(false),
  working_hours: WorkingHours.nullable().default(null),
};

export const QueueCreateRequest = z.object(queueFields).strict().openapi("RoutingQueueRequest");
export type QueueCreateRequest = z.infer<typeof QueueCreateRequest>;

/** PUT changes the fields it names; the others keep their values. */
export const QueueUpdateRequest = z
  .object({
    name: queueFields.name.optional(),
    position: queueFields.position,
    requires: z.array(SkillName).max(10).optional(),
    service_level_seconds: z.number().int().min(1).max(86_400).optional(),
    relax_after_seconds: z.number().int().min(1).max(86_400).nullable().optional(),
    relax_to_any_agent: z.boolean().optional(),
    working_hours: WorkingHours.nullable().optional(),
  })
  .strict()
  .openapi("RoutingQueueUpdate");
export type QueueUpdateRequest = z.infer<typeof QueueUpdateRequest>;

export const RoutingQueueView = z
  .object({
    id: z.string(),
    name: z.string(),
    position: z.number().int(),
    requires: z.array(z.string()),
    service_level_seconds: z.number().int(),
    relax_after_seconds: z.number().int().nullable(),
    relax_to_any_agent: z.boolean(),
    working_hours: WorkingHours.nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi("RoutingQueue");
export type RoutingQueueView = z.infer<typeof RoutingQueueView>;

export const QueueList = z.object({ items: z.array(RoutingQueueView) }).openapi("RoutingQueueList");

/** One queue's figures: live from the coordinator, the period's from D1. */
export const QueueFigures = z
  .object({
    queue_id: z.string().nullable(),
    name: z.string(),
    waiting: z.number().int(),
    longest_wait_seconds: z.number().int(),
    service_level_seconds: z.number().int(),
    /** As the tenant's metrics define them (worker/core/metrics.ts), against this queue's target. */
    service_level: z.number(),
    abandonment_rate: z.number(),
    total_calls: z.number().int(),
    unmatched_call_ids: z.array(z.string()),
  })
  .openapi("QueueFigures");
export type QueueFigures = z.infer<typeof QueueFigures>;

export const QueueFiguresResponse = z.object({ queues: z.array(QueueFigures), period_hours: z.number().int() }).openapi("QueueFiguresList");
