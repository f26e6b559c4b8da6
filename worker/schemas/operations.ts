// Operations: the health report and the audit pipeline's re-drive (README "Operate").
import { z } from "@hono/zod-openapi";

export const DependencyCheck = z.object({
  status: z.enum(["ok", "down", "degraded", "not_configured"]),
  latency_ms: z.number().optional(),
  detail: z.string().optional(),
  checked_at: z.string().optional().openapi({ description: "When a node was probed (probes are cached for up to 20 s)." }),
  age_ms: z.number().optional().openapi({ description: "How old the node probe is." }),
});

const BacklogCheck = z.object({
  status: z.enum(["ok", "degraded", "unknown"]),
  count: z.number().int(),
  oldest_at: z.string().optional(),
  older_than_minutes: z.number().optional(),
});

export const Health = z
  .object({
    status: z.enum(["ok", "degraded"]),
    version: z.string(),
    degraded_by: z.array(z.string()).openapi({ description: "The checks (dependencies and pipeline) that are not ok." }),
    checks: z.object({ d1: DependencyCheck, thronos_master: DependencyCheck, thronos_replica: DependencyCheck, ai_core: DependencyCheck }),
    pipeline: z.object({ audit_backlog: BacklogCheck, anchor_backlog: BacklogCheck, dead_letters: BacklogCheck }).openapi({
      description:
        "Audit records unlogged for 5 minutes, leaves without a confirmed anchor for 15 minutes, anchors the queue gave up on. `npm run redrive` queues them again.",
    }),
  })
  .openapi("Health");

const Count = z.number().int().min(0);

export const RedriveReport = z
  .object({
    records_unlogged: Count.openapi({ description: "Audit records without a leaf when the re-drive ran." }),
    records_requeued: Count.openapi({ description: "Of those, how many the audit queue took (the rest wait for the next try)." }),
    anchors_confirmed: Count.openapi({ description: "Submitted anchors the chain now shows." }),
    anchors_abandoned: Count.openapi({ description: "Failed anchors no confirmed anchor supersedes (dead letters, refusals)." }),
    anchors_requeued: Count.openapi({ description: "Of those, how many the anchor queue took." }),
    reanchored_tree_size: z.number().int().nullable().openapi({ description: "The newest checkpoint, when nothing anchored it." }),
  })
  .openapi("RedriveReport");
