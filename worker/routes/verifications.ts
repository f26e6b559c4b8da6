// Verification intake: create, upload documents, read back, list (staff).
import { createRoute } from "@hono/zod-openapi";
import { principalOf, requirePermission } from "../auth/middleware.ts";
import { can } from "../auth/permissions.ts";
import { configFrom } from "../config.ts";
import { database } from "../db/client.ts";
import { documentsOf, documentSummary, listVerifications, verificationFor, verificationSummary } from "../db/verifications.ts";
import { readUploadedFile } from "../documents/upload.ts";
import { anchorsOfVerification } from "../audit/anchors.ts";
import { recordIds } from "../audit/records.ts";
import { acceptDocument, submittedConflict } from "../verifications/accept-document.ts";
import { OPEN_STATUSES, takesDocuments } from "../core/verification-status.ts";
import { callViewFor, submitAnswerFor, verificationViewFor } from "../verifications/customer-view.ts";
import { submitVerification } from "../verifications/submit.ts";
import { callFor } from "../calls/lookup.ts";
import { ApiError, conflict, notFound, validationError } from "../http/errors.ts";
import { router } from "../http/openapi.ts";
import { byUser, rateLimit } from "../http/rate-limits.ts";
import { newId } from "../ids.ts";
import { errors, IdParam, json } from "../schemas/common.ts";
import {
  CreatedVerification,
  CreateVerificationRequest,
  SubmitResponse,
  UploadDocumentForm,
  UploadFields,
  UploadedDocument,
  Verification,
  VerificationList,
  VerificationListQuery,
} from "../schemas/verifications.ts";

export const verificationRoutes = router();

verificationRoutes.openapi(
  createRoute({
    method: "post",
    path: "/",
    tags: ["verifications"],
    summary: "Start a verification (customers)",
    security: [{ bearer: [] }],
    middleware: [requirePermission("verifications.own"), rateLimit("verifications", byUser)] as const,
    request: { body: { required: false, content: { "application/json": { schema: CreateVerificationRequest } } } },
    responses: { 201: json(CreatedVerification, "Created"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const { user_info } = c.req.valid("json");
    const who = principalOf(c);
    const now = Date.now();
    const id = newId(now);
    const max = configFrom(c.env).maxOpenVerificationsPerCustomer;
    // A conditional insert, one statement, so two creations at once cannot both pass the cap
    // (raw SQL: drizzle's insert has no WHERE).
    const { meta } = await c.env.DB.prepare(
      `INSERT INTO verifications (id, tenant_id, customer_id, status, user_info, created_at, updated_at)
       SELECT ?, ?, ?, 'created', ?, ?, ? WHERE (SELECT COUNT(*) FROM verifications WHERE tenant_id = ? AND customer_id = ? AND status IN (${OPEN_STATUSES.map(() => "?").join(", ")})) < ?`,
    )
      .bind(
        id,
        who.tenantId,
        who.userId,
        user_info ? JSON.stringify(user_info) : null,
        now,
        now,
        who.tenantId,
        who.userId,
        ...OPEN_STATUSES,
        max,
      )
      .run();
    if (meta.changes === 0) {
      throw conflict("too_many_open_verifications", `A customer may have at most ${max} open verifications; finish or cancel one first.`, {
        max_open: max,
      });
    }
    return c.json({ id, status: "created" as const }, 201);
  },
);

const uploadRoute = createRoute({
  method: "post",
  path: "/{id}/documents",
  tags: ["verifications"],
  summary: "Upload an identity document (hashed, then encrypted at rest)",
  security: [{ bearer: [] }],
  request: {
    params: IdParam,
    body: { required: true, content: { "multipart/form-data": { schema: UploadDocumentForm } } },
  },
  responses: { 201: json(UploadedDocument, "Stored"), ...errors(400, 401, 404, 409, 413, 415, 503) },
});
// Documented through the registry but handled by hand: the body is streamed through the
// hash once instead of being parsed twice by a form validator.
verificationRoutes.openAPIRegistry.registerPath(uploadRoute);
verificationRoutes.post("/:id/documents", rateLimit("uploads", byUser), async (c) => {
  const who = principalOf(c);
  const config = configFrom(c.env);
  const verification = await verificationFor(database(c.env.DB), who, c.req.param("id"));
  if (!verification) throw notFound("Verification");
  // An early answer before the body is read; accepting checks again at insert.
  if (!takesDocuments(verification)) throw submittedConflict(verification.status);
  const upload = await readUploadedFile(c.req.raw, config.maxUploadBytes, ["doc_type"]);
  const fields = UploadFields.safeParse({ doc_type: upload.fields.get("doc_type") });
  if (!fields.success) throw validationError(fields.error);
  const { mediaType } = upload;
  if (!mediaType) {
    throw new ApiError(415, "unsupported_media_type", "Only JPEG, PNG, WebP and PDF files are accepted.", {
      accepted: ["image/jpeg", "image/png", "image/webp", "application/pdf"],
    });
  }
  const accepted = await acceptDocument(
    c.env,
    who,
    verification,
    { ...upload, mediaType },
    fields.data.doc_type,
    config.maxDocumentsPerVerification,
  );
  return c.json(accepted, 201);
});

verificationRoutes.openapi(
  createRoute({
    method: "get",
    path: "/{id}",
    tags: ["verifications"],
    summary: "A verification with its documents, fraud analysis, call and anchors",
    security: [{ bearer: [] }],
    request: { params: IdParam },
    responses: { 200: json(Verification, "The verification"), ...errors(401, 404) },
  }),
  async (c) => {
    const db = database(c.env.DB);
    const row = await verificationFor(db, principalOf(c), c.req.valid("param").id);
    if (!row) throw notFound("Verification");
    const docs = await documentsOf(db, row.id);
    const call = row.callId ? await callFor(c, row.callId).catch(() => null) : null;
    const who = principalOf(c);
    return c.json(
      verificationViewFor(who, {
        ...verificationSummary(row),
        documents: docs.map((d) => documentSummary(d, recordIds.document(d.id))),
        call: callViewFor(who, call),
        anchors: await anchorsOfVerification(c.env, row.id),
      }),
      200,
    );
  },
);

verificationRoutes.openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["verifications"],
    summary: "Verifications, newest first: the tenant's for staff, a customer's own for customers",
    security: [{ bearer: [] }],
    request: { query: VerificationListQuery },
    responses: { 200: json(VerificationList, "A page of verifications"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const query = c.req.valid("query");
    const who = principalOf(c);
    const customerId = can(who.role, "verifications.read_all") ? undefined : who.userId;
    const { page, nextCursor } = await listVerifications(database(c.env.DB), who.tenantId, {
      ...query,
      ...(customerId ? { customerId } : {}),
    });
    return c.json({ items: page.map((row) => verificationViewFor(who, verificationSummary(row))), next_cursor: nextCursor }, 200);
  },
);

verificationRoutes.openapi(
  createRoute({
    method: "post",
    path: "/{id}/submit",
    tags: ["verifications"],
    summary: "Submit: risk score, audit record and a place in the video-call queue",
    security: [{ bearer: [] }],
    request: { params: IdParam },
    responses: { 200: json(SubmitResponse, "Queued for a video call"), ...errors(401, 404, 409, 503) },
  }),
  async (c) => {
    const db = database(c.env.DB);
    const who = principalOf(c);
    const verification = await verificationFor(db, who, c.req.valid("param").id);
    if (!verification) throw notFound("Verification");
    return c.json(submitAnswerFor(who, await submitVerification(c.env, db, verification)), 200);
  },
);
