// Service health: D1 and the Thronos nodes. Always 200 while the Worker itself runs; the
// checks say what is down.
import { createRoute, z } from "@hono/zod-openapi";
import pkg from "../../package.json" with { type: "json" };
import { pingDatabase } from "../db/client.ts";
import { router } from "../http/openapi.ts";
import { json } from "../schemas/common.ts";
import { probeNode } from "../services/node-health.ts";

export const healthRoutes = router();

const Check = z.object({
  status: z.enum(["ok", "down", "degraded", "not_configured"]),
  latency_ms: z.number().optional(),
  detail: z.string().optional(),
});
const Health = z
  .object({
    status: z.enum(["ok", "degraded"]),
    version: z.string(),
    checks: z.object({ d1: Check, thronos_master: Check, thronos_replica: Check, ai_core: Check }),
  })
  .openapi("Health");

async function probeD1(db: D1Database): Promise<z.infer<typeof Check>> {
  const started = Date.now();
  try {
    await pingDatabase(db);
    return { status: "ok", latency_ms: Date.now() - started };
  } catch (err) {
    return { status: "down", detail: err instanceof Error ? err.message : "query failed" };
  }
}

healthRoutes.openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["operations"],
    summary: "Health of the service and its dependencies",
    responses: { 200: json(Health, "Health report") },
  }),
  async (c) => {
    const [d1, master, replica, ai] = await Promise.all([
      probeD1(c.env.DB),
      probeNode(c.env.THRONOS_MASTER_URL),
      probeNode(c.env.THRONOS_REPLICA_URL, { checkSyncing: true }),
      probeNode(c.env.THRONOS_AI_URL),
    ]);
    const checks = { d1, thronos_master: master, thronos_replica: replica, ai_core: ai };
    const status = d1.status === "ok" ? ("ok" as const) : ("degraded" as const);
    return c.json({ status, version: pkg.version, checks }, 200, { "Cache-Control": "no-store" });
  },
);
