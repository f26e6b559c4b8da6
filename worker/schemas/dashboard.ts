import { z } from "@hono/zod-openapi";
import { Limit } from "./common.ts";
import { AgentView, CallView, DashboardMetrics } from "./messages.ts";

export const HoursQuery = z.object({
  hours: z.coerce
    .number({ error: "hours must be a whole number from 1 to 168" })
    .int("hours must be a whole number from 1 to 168")
    .min(1, "hours must be a whole number from 1 to 168")
    .max(168, "hours must be a whole number from 1 to 168")
    .default(24),
});
export const RecentQuery = z.object({ limit: Limit(10, 100) });

export const MetricsResponse = z.object({ metrics: DashboardMetrics.openapi("DashboardMetrics") }).openapi("DashboardMetricsResponse");
export const ActiveCallsResponse = z.object({ active_calls: z.array(CallView), count: z.number().int() }).openapi("ActiveCalls");
export const RecentCallsResponse = z.object({ calls: z.array(CallView), count: z.number().int() }).openapi("RecentCalls");
export const AgentPerformanceResponse = z
  .object({
    agents: z.array(
      z.object({
        agent_id: z.string(),
        name: z.string(),
        total_calls: z.number(),
        completed_calls: z.number(),
        average_duration: z.number(),
        success_rate: z.number(),
        offers_accepted: z.number(),
        offers_rejected: z.number(),
        offers_expired: z.number(),
        acceptance_rate: z.number(),
        live: AgentView.optional(),
      }),
    ),
    count: z.number().int(),
    period_hours: z.number().int(),
  })
  .openapi("AgentPerformance");
export const CallsPerHourResponse = z
  .object({ data: z.record(z.string(), z.number()), period_hours: z.number().int() })
  .openapi("CallsPerHour");
export const DashboardHealth = z.object({ status: z.literal("healthy"), websocket_enabled: z.literal(true) }).openapi("DashboardHealth");
