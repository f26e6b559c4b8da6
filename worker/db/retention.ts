// The retention_settings table, written only here: a tenant's retention periods, where it set
// them; the deployment's defaults (lifecycle/config.ts) otherwise.
import { eq } from "drizzle-orm";
import type { RetentionSettings } from "../schemas/lifecycle.ts";
import type { Database } from "./client.ts";
import { retentionSettings } from "./schema.ts";

/** The tenant's settings, or `defaults` where it has none. */
export async function retentionOf(db: Database, tenantId: string, defaults: RetentionSettings): Promise<RetentionSettings> {
  const row = await db.query.retentionSettings.findFirst({ where: eq(retentionSettings.tenantId, tenantId) });
  if (!row) return defaults;
  return {
    document_days: row.documentDays,
    recording_days: row.recordingDays,
    personal_data_days: row.personalDataDays,
    abandoned_days: row.abandonedDays,
  };
}

export async function storeRetention(db: Database, tenantId: string, settings: RetentionSettings, by: string, now: number): Promise<void> {
  const values = {
    documentDays: settings.document_days,
    recordingDays: settings.recording_days,
    personalDataDays: settings.personal_data_days,
    abandonedDays: settings.abandoned_days,
    updatedBy: by,
    updatedAt: now,
  };
  await db
    .insert(retentionSettings)
    .values({ tenantId, ...values })
    .onConflictDoUpdate({ target: retentionSettings.tenantId, set: values });
}
