// The data lifecycle's routes (README "Data lifecycle"): master key rotation for operators;
// erasure, legal hold and export of one verification; the tenant's retention settings.
import { createRoute, z } from "@hono/zod-openapi";
import { principalOf, requirePermission } from "../auth/middleware.ts";
import { database } from "../db/client.ts";
import { retentionOf, storeRetention } from "../db/retention.ts";
import { verificationFor } from "../db/verifications.ts";
import { documentResponse, linkedDocumentContent } from "../documents/content.ts";
import { ApiError, notFound } from "../http/errors.ts";
import { router } from "../http/openapi.ts";
import { lifecycleConfig } from "../lifecycle/config.ts";
import { verifyDocumentLink } from "../lifecycle/document-links.ts";
import { eraseVerification } from "../lifecycle/erase.ts";
import { exportVerification } from "../lifecycle/export.ts";
import { holdVerification, releaseVerification } from "../lifecycle/legal-hold.ts";
import { rotateDataKeys } from "../lifecycle/rotation.ts";
import { errors, IdParam, json, jsonBody } from "../schemas/common.ts";
import {
  DocumentLinkQuery,
  EraseRequest,
  Erasure,
  LegalHold,
  LegalHoldRequest,
  RetentionSettings,
  RetentionSettingsUpdate,
  RotateKeysRequest,
  RotationStep,
  VerificationExport,
} from "../schemas/lifecycle.ts";

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

/** Under /verifications, beside the intake routes. */
export const verificationLifecycleRoutes = router();

verificationLifecycleRoutes.openapi(
  createRoute({
    method: "post",
    path: "/{id}/erase",
    tags: ["lifecycle"],
    summary: "Erase a verification: its data keys, R2 objects, personal data and audit leaf inputs (idempotent; 409 under legal hold)",
    security: [{ bearer: [] }],
    middleware: [requirePermission("data_lifecycle.manage")] as const,
    request: { params: IdParam, body: jsonBody(EraseRequest) },
    responses: { 200: json(Erasure, "Erased (now or before)"), ...errors(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    const who = principalOf(c);
    const verification = await verificationFor(database(c.env.DB), who, c.req.valid("param").id);
    if (!verification) throw notFound("Verification");
    const erasure = await eraseVerification(c.env, verification, {
      erasedBy: who.userId,
      basis: "request",
      reason: c.req.valid("json").reason,
    });
    return c.json(erasure, 200);
  },
);

verificationLifecycleRoutes.openapi(
  createRoute({
    method: "post",
    path: "/{id}/legal-hold",
    tags: ["lifecycle"],
    summary: "Place a legal hold: no erasure, by request or retention, until it is released",
    security: [{ bearer: [] }],
    middleware: [requirePermission("data_lifecycle.manage")] as const,
    request: { params: IdParam, body: jsonBody(LegalHoldRequest) },
    responses: { 200: json(LegalHold, "The hold"), ...errors(400, 401, 403, 404, 409) },
  }),
  async (c) => c.json(await holdVerification(c.env, principalOf(c), c.req.valid("param").id, c.req.valid("json").reason), 200),
);

verificationLifecycleRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/{id}/legal-hold",
    tags: ["lifecycle"],
    summary: "Release a legal hold (idempotent)",
    security: [{ bearer: [] }],
    middleware: [requirePermission("data_lifecycle.manage")] as const,
    request: { params: IdParam },
    responses: { 200: json(LegalHold, "No hold any more"), ...errors(401, 403, 404) },
  }),
  async (c) => c.json(await releaseVerification(c.env, principalOf(c), c.req.valid("param").id), 200),
);

verificationLifecycleRoutes.openapi(
  createRoute({
    method: "get",
    path: "/{id}/export",
    tags: ["lifecycle"],
    summary: "Everything held about a verification, with receipts and short-lived document links (a manager, or its customer)",
    security: [{ bearer: [] }],
    request: { params: IdParam },
    responses: { 200: json(VerificationExport, "The export"), ...errors(401, 403, 404) },
  }),
  async (c) => {
    const base = `${new URL(c.req.url).origin}/api/v1`;
    const body = await exportVerification(c.env, principalOf(c), c.req.valid("param").id, base);
    return c.json(body, 200, {
      "Content-Disposition": `attachment; filename="verification-${body.verification.id}.json"`,
      "Cache-Control": "private, no-store",
    });
  },
);

/** Under /settings. */
export const settingsRoutes = router();

settingsRoutes.openapi(
  createRoute({
    method: "get",
    path: "/retention",
    tags: ["lifecycle"],
    summary: "The tenant's retention periods (days after the decision)",
    security: [{ bearer: [] }],
    middleware: [requirePermission("data_lifecycle.manage")] as const,
    responses: { 200: json(RetentionSettings, "Retention"), ...errors(401, 403) },
  }),
  async (c) => c.json(await retentionOf(database(c.env.DB), principalOf(c).tenantId, lifecycleConfig(c.env).defaults), 200),
);

settingsRoutes.openapi(
  createRoute({
    method: "put",
    path: "/retention",
    tags: ["lifecycle"],
    summary: "Change retention periods; fields left out keep their value",
    security: [{ bearer: [] }],
    middleware: [requirePermission("data_lifecycle.manage")] as const,
    request: { body: jsonBody(RetentionSettingsUpdate) },
    responses: { 200: json(RetentionSettings, "Retention"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const who = principalOf(c);
    const db = database(c.env.DB);
    const next = { ...(await retentionOf(db, who.tenantId, lifecycleConfig(c.env).defaults)), ...c.req.valid("json") };
    await storeRetention(db, who.tenantId, next, who.userId, Date.now());
    return c.json(next, 200);
  },
);

/** Under /exports: public, the signed link is the credential. */
export const exportLinkRoutes = router();

exportLinkRoutes.openapi(
  createRoute({
    method: "get",
    path: "/document",
    tags: ["lifecycle"],
    summary: "A document's bytes by an export's signed link (no token; the link expires after a few minutes)",
    request: { query: DocumentLinkQuery },
    responses: {
      200: { description: "The exact uploaded bytes", content: { "application/octet-stream": { schema: z.any() } } },
      ...errors(400, 403, 404),
    },
  }),
  async (c) => {
    const { id, expires, signature } = c.req.valid("query");
    if (!(await verifyDocumentLink(c.env.JWT_SECRET, id, expires, signature))) {
      throw new ApiError(403, "link_expired", "This download link is expired or not valid; export again for a fresh one.");
    }
    const doc = await linkedDocumentContent(c.env, id);
    return documentResponse(doc);
  },
);
