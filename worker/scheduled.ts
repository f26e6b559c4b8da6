// Cron Triggers (wrangler.toml): midnight resets daily counters and applies retention; every
// minute sweeps stale state (deadlines whose alarm was missed, outbox rows D1 refused) in every
// tenant.
import { sweepAudit } from "./audit/sweep.ts";
import { pruneRevokedTokens } from "./auth/sessions.ts";
import { can } from "./auth/permissions.ts";
import { database } from "./db/client.ts";
import { listUsers } from "./db/users.ts";
import { coordinatorFor, presenceFor } from "./calls/coordinator.ts";
import { applyRetentionEverywhere } from "./lifecycle/retention.ts";
import { sweepWebhookDeliveries } from "./webhooks/queue.ts";

export const DAILY_RESET_CRON = "0 0 * * *";

async function tenantIds(d1: D1Database): Promise<string[]> {
  const rows = await database(d1).query.tenants.findMany({ columns: { id: true } });
  return rows.map((r) => r.id);
}

/** Midnight: per-agent daily counters (queue and heartbeat) start from zero. */
export async function dailyReset(env: Env): Promise<void> {
  for (const tenantId of await tenantIds(env.DB)) {
    await coordinatorFor(env, tenantId).dailyReset();
    const agents = (await listUsers(database(env.DB), tenantId)).filter((u) => can(u.role, "video_calls.accept"));
    await Promise.all(agents.map((a) => presenceFor(env, tenantId, a.id).resetDaily()));
  }
}

/** Every minute: each tenant's queue and direct-call desk catch up on anything due; the audit
 * pipeline too. */
export async function sweep(env: Env): Promise<void> {
  for (const tenantId of await tenantIds(env.DB)) {
    await coordinatorFor(env, tenantId).sweep();
    await env.DIRECT_CALL_DESK.getByName(tenantId).sweep();
  }
  await sweepAudit(env);
  await pruneRevokedTokens(env.DB);
  await sweepWebhookDeliveries(env);
}

export async function scheduled(controller: ScheduledController, env: Env): Promise<void> {
  if (controller.cron === DAILY_RESET_CRON) {
    await dailyReset(env);
    await applyRetentionEverywhere(env, await tenantIds(env.DB), controller.scheduledTime);
  } else await sweep(env);
}
