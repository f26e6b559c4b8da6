// The tenants table, written only here: per-tenant settings, stored as JSON on the tenant row
// (D1 owns them; the coordinator is told when the assignment strategy changes), and the demo
// tenants.
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "./client.ts";
import { tenants } from "./schema.ts";

const Settings = z.object({
  assignment_strategy: z.enum(["score", "longest-idle", "fewest-calls"]).catch("score"),
  recording_enabled: z.boolean().catch(false),
});
export type TenantSettings = z.infer<typeof Settings>;

/** The tenant's settings with defaults for anything unset or unreadable. */
export async function tenantSettings(db: Database, tenantId: string): Promise<TenantSettings> {
  const row = await db.query.tenants.findFirst({ where: eq(tenants.id, tenantId), columns: { settings: true } });
  let stored: unknown = {};
  try {
    stored = JSON.parse(row?.settings ?? "{}");
  } catch {
    stored = {};
  }
  return Settings.parse({ assignment_strategy: undefined, recording_enabled: undefined, ...(stored as object) });
}

/** Merges `changes` into the tenant's settings; returns the result. */
export async function updateTenantSettings(db: Database, tenantId: string, changes: Partial<TenantSettings>): Promise<TenantSettings> {
  const next = { ...(await tenantSettings(db, tenantId)), ...changes };
  await db
    .update(tenants)
    .set({ settings: JSON.stringify(next) })
    .where(eq(tenants.id, tenantId));
  return next;
}

/** Creates a tenant unless its id exists (demo data; tenants are otherwise provisioned outside the API). */
export async function insertTenant(db: Database, tenant: { id: string; slug: string; name: string }, now: number): Promise<void> {
  await db
    .insert(tenants)
    .values({ ...tenant, createdAt: now })
    .onConflictDoNothing();
}
