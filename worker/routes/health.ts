// Service health: D1, the Thronos nodes and the audit pipeline's backlog. Always 200 while the
// Worker itself runs; `status` says ok or degraded, `degraded_by` names the checks that made it
// so. Node probes come from a short per-isolate cache (services/node-health.ts), each with its
// age, so polling this route does not poll the nodes.
import { createRoute, type z } from "@hono/zod-openapi";
import pkg from "../../package.json" with { type: "json" };
import { ANCHOR_BACKLOG_AFTER_MS, AUDIT_BACKLOG_AFTER_MS, backlogCheck, overallHealth, type PipelineCheck } from "../core/health.ts";
import { abandonedAnchorBacklog } from "../db/anchors.ts";
import { unanchoredBacklog, unloggedBacklog } from "../db/audit-records.ts";
import { database, pingDatabase } from "../db/client.ts";
import { configFrom } from "../config.ts";
import { router } from "../http/openapi.ts";
import { json } from "../schemas/common.ts";
import { DependencyCheck, Health } from "../schemas/operations.ts";
import { cachedProbe } from "../services/node-health.ts";

export const healthRoutes = router();

async function probeD1(db: D1Database): Promise<z.infer<typeof DependencyCheck>> {
  const started = Date.now();
  try {
    await pingDatabase(db);
    return { status: "ok", latency_ms: Date.now() - started };
  } catch (err) {
    return { status: "down", detail: err instanceof Error ? err.message : "query failed" };
  }
}

async function measurePipeline(
  d1: D1Database,
  now: number,
): Promise<Record<"audit_backlog" | "anchor_backlog" | "dead_letters", PipelineCheck>> {
  const db = database(d1);
  try {
    const [unlogged, unanchored, abandoned] = await Promise.all([
      unloggedBacklog(db, now - AUDIT_BACKLOG_AFTER_MS),
      unanchoredBacklog(db, now - ANCHOR_BACKLOG_AFTER_MS),
      abandonedAnchorBacklog(db),
    ]);
    return {
      audit_backlog: backlogCheck(unlogged, AUDIT_BACKLOG_AFTER_MS),
      anchor_backlog: backlogCheck(unanchored, ANCHOR_BACKLOG_AFTER_MS),
      dead_letters: backlogCheck(abandoned),
    };
  } catch {
    const unknown = { status: "unknown", count: 0 } as const;
    return { audit_backlog: unknown, anchor_backlog: unknown, dead_letters: unknown };
  }
}

type Measured = { d1: z.infer<typeof DependencyCheck>; pipeline: Awaited<ReturnType<typeof measurePipeline>>; at: number };

// D1's own figures (the ping and the pipeline's backlog counts, four reads) are kept per binding
// for `HEALTH_CACHE_MS`, like the node probes: a monitor polling every second then costs D1 a few
// reads a second at most, and each poll little more than the Worker's floor.
const measured = new WeakMap<D1Database, Measured>();

export async function measureD1(d1: D1Database, now: number, ttlMs: number): Promise<Measured> {
  const kept = measured.get(d1);
  if (kept && now - kept.at < ttlMs && now >= kept.at) return kept;
  const [check, pipeline] = await Promise.all([probeD1(d1), measurePipeline(d1, now)]);
  const fresh = { d1: check, pipeline, at: now };
  if (ttlMs > 0) measured.set(d1, fresh);
  return fresh;
}

healthRoutes.openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["operations"],
    summary: "Health of the service, its dependencies and the audit pipeline",
    responses: { 200: json(Health, "Health report") },
  }),
  async (c) => {
    const now = Date.now();
    const [{ d1, pipeline }, master, replica, ai] = await Promise.all([
      measureD1(c.env.DB, now, configFrom(c.env).healthCacheMs),
      cachedProbe(c.env.THRONOS_MASTER_URL),
      cachedProbe(c.env.THRONOS_REPLICA_URL, { checkSyncing: true }),
      cachedProbe(c.env.THRONOS_AI_URL),
    ]);
    const checks = { d1, thronos_master: master, thronos_replica: replica, ai_core: ai };
    const { status, degraded_by } = overallHealth({ ...checks, ...pipeline });
    return c.json({ status, version: pkg.version, degraded_by, checks, pipeline }, 200, { "Cache-Control": "no-store" });
  },
);
