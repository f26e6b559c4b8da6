// The lifecycle's vars, with their documented defaults (README "Data lifecycle"). Read here
// rather than in worker/config.ts so that the lifecycle stays one folder.
import { z } from "zod";
import type { RetentionSettings } from "../schemas/lifecycle.ts";

const days = (fallback: number) => z.coerce.number().int().min(1).max(36_500).default(fallback);

const LifecycleVars = z.object({
  /** Five years after the decision: the EU's AML record-keeping period. */
  RETENTION_DOCUMENT_DAYS: days(5 * 365),
  RETENTION_RECORDING_DAYS: days(5 * 365),
  RETENTION_PERSONAL_DATA_DAYS: days(5 * 365),
  /** An undecided verification nobody touched for this long is erased. */
  ABANDONED_VERIFICATION_DAYS: days(30),
  /** Verifications the daily cron handles per tenant and stage in one run. */
  RETENTION_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  /** How long an export's document links work. */
  DOCUMENT_LINK_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
});

export type LifecycleConfig = { defaults: RetentionSettings; batchSize: number; documentLinkTtlSeconds: number };

export function lifecycleConfig(env: object): LifecycleConfig {
  const raw = LifecycleVars.parse(env);
  return {
    defaults: {
      document_days: raw.RETENTION_DOCUMENT_DAYS,
      recording_days: raw.RETENTION_RECORDING_DAYS,
      personal_data_days: raw.RETENTION_PERSONAL_DATA_DAYS,
      abandoned_days: raw.ABANDONED_VERIFICATION_DAYS,
    },
    batchSize: raw.RETENTION_BATCH_SIZE,
    documentLinkTtlSeconds: raw.DOCUMENT_LINK_TTL_SECONDS,
  };
}
