// Operating the service: the audit pipeline's re-drive (README "Operate"). `npm run redrive`
// calls it. The audit log is one for the whole deployment, so the counts are too.
import { createRoute } from "@hono/zod-openapi";
import { requirePermission } from "../auth/middleware.ts";
import { redriveAudit } from "../audit/sweep.ts";
import { router } from "../http/openapi.ts";
import { errors, json } from "../schemas/common.ts";
import { RedriveReport } from "../schemas/operations.ts";

export const adminRoutes = router();

adminRoutes.openapi(
  createRoute({
    method: "post",
    path: "/redrive",
    tags: ["operations"],
    summary: "Queue again every audit record not yet logged and every checkpoint not yet anchored (idempotent)",
    security: [{ bearer: [] }],
    middleware: [requirePermission("operations.redrive")] as const,
    responses: { 200: json(RedriveReport, "What was queued again"), ...errors(401, 403) },
  }),
  async (c) => c.json(await redriveAudit(c.env), 200),
);
