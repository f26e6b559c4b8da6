// The data lifecycle's routes (README "Data lifecycle"): master key rotation for operators;
// erasure, legal hold and export of one verification; the tenant's retention settings.
import { createRoute } from "@hono/zod-openapi";
import { requirePermission } from "../auth/middleware.ts";
import { router } from "../http/openapi.ts";
import { rotateDataKeys } from "../lifecycle/rotation.ts";
import { errors, json, jsonBody } from "../schemas/common.ts";
import { RotateKeysRequest, RotationStep } from "../schemas/lifecycle.ts";

/** Under /admin/keys. */
export const keyRoutes = router();

keyRoutes.openapi(
  createRoute({
    method: "post",
    path: "/rotate",
    tags: ["operations"],
    summary: "One bounded step of re-wrapping every data key under the current master key version (no document is re-encrypted)",
    security: [{ bearer: [] }],
    middleware: [requirePermission("operations.redrive")] as const,
    request: { body: { ...jsonBody(RotateKeysRequest), required: false } },
    responses: { 200: json(RotationStep, "What this step did and where the next goes on"), ...errors(400, 401, 403, 503) },
  }),
  async (c) => {
    // Without a body the validator passes nothing through, so the defaults are applied here.
    const { cursor, limit } = RotateKeysRequest.parse(c.req.valid("json") ?? {});
    return c.json(await rotateDataKeys(c.env, cursor, limit), 200);
  },
);
