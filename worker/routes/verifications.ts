// Verification intake: create, upload documents, read back, list (staff).
import { createRoute } from "@hono/zod-openapi";
import { authenticate, principalOf, requirePermission } from "../auth/middleware.ts";
import { can } from "../auth/permissions.ts";
import { configFrom } from "../config.ts";
import { database } from "../db/client.ts";
import { verifications } from "../db/schema.ts";
import {
  documentsOf,
  documentSummary,
  listVerifications,
  verificationFor,
  verificationSummary,
} from "../db/verifications.ts";
import { masterKey, seal } from "../documents/envelope.ts";
import { readUploadedFile } from "../documents/upload.ts";
import { auditRow, insertAuditRow, queueForLog } from "../audit/producer.ts";
import { anchorsOfVerification } from "../audit/anchors.ts";
import { documentRecord, newSalt, recordIds } from "../audit/records.ts";
import { submitVerification } from "../verifications/submit.ts";
import { callFor } from "../queue/calls.ts";
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
verificationRoutes.use("/verifications", authenticate);
verificationRoutes.use("/verifications/*", authenticate);

verificationRoutes.openapi(
  createRoute({
    method: "post",
    path: "/verifications",
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
    await database(c.env.DB)
      .insert(verifications)
      .values({
        id,
        tenantId: who.tenantId,
        customerId: who.userId,
        status: "created",
        userInfo: user_info ? JSON.stringify(user_info) : null,
        createdAt: now,
        updatedAt: now,
      });
    return c.json({ id, status: "created" as const }, 201);
  },
);

const uploadRoute = createRoute({
  method: "post",
  path: "/verifications/{id}/documents",
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
verificationRoutes.post("/verifications/:id/documents", rateLimit("uploads", byUser), async (c) => {
  const who = principalOf(c);
  const db = database(c.env.DB);
  const verification = await verificationFor(db, who, c.req.param("id"));
  if (!verification) throw notFound("Verification");
  if (verification.status !== "created") {
    throw conflict("verification_submitted", "Documents can only be added before the verification is submitted.", {
      status: verification.status,
    });
  }
  const upload = await readUploadedFile(c.req.raw, configFrom(c.env).maxUploadBytes, ["doc_type"]);
  const fields = UploadFields.safeParse({ doc_type: upload.fields.get("doc_type") });
  if (!fields.success) throw validationError(fields.error);
  if (!upload.mediaType) {
    throw new ApiError(415, "unsupported_media_type", "Only JPEG, PNG, WebP and PDF files are accepted.", {
      accepted: ["image/jpeg", "image/png", "image/webp", "application/pdf"],
    });
  }

  const documentId = newId();
  const objectKey = `tenants/${who.tenantId}/verifications/${verification.id}/${documentId}`;
  const envelope = await seal(upload.bytes, documentId, await masterKey(c.env.DOCUMENT_MASTER_KEY));
  await c.env.DOCUMENTS.put(objectKey, envelope, {
    customMetadata: { document_id: documentId, encryption: "verifyid-envelope-v1" },
  });
  const record = documentRecord({ tenantId: who.tenantId, documentId, ownerId: verification.customerId, documentHash: upload.sha256, salt: newSalt() });
  // The document and its audit record are written together: no document without a leaf.
  const now = Date.now();
  await c.env.DB.batch([
    c.env.DB.prepare(
      "INSERT INTO documents (id, tenant_id, verification_id, doc_type, content_type, size, document_hash, object_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ).bind(documentId, who.tenantId, verification.id, fields.data.doc_type, upload.mediaType, upload.size, upload.sha256, objectKey, now),
    insertAuditRow(c.env.DB, auditRow(record, now)),
  ]);
  await queueForLog(c.env.AUDIT_QUEUE, [record.recordId]);
  const auditRecordId = record.recordId;
  return c.json(
    {
      document_id: documentId,
      document_hash: upload.sha256,
      size: upload.size,
      content_type: upload.mediaType,
      audit_record_id: auditRecordId,
    },
    201,
  );
});

verificationRoutes.openapi(
  createRoute({
    method: "get",
    path: "/verifications/{id}",
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
    return c.json(
      {
        ...verificationSummary(row),
        documents: docs.map((d) => documentSummary(d, recordIds.document(d.id))),
        call,
        anchors: await anchorsOfVerification(c.env, row.id),
      },
      200,
    );
  },
);

verificationRoutes.openapi(
  createRoute({
    method: "get",
    path: "/verifications",
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
    const { page, nextCursor } = await listVerifications(database(c.env.DB), who.tenantId, { ...query, ...(customerId ? { customerId } : {}) });
    return c.json({ items: page.map(verificationSummary), next_cursor: nextCursor }, 200);
  },
);

verificationRoutes.openapi(
  createRoute({
    method: "post",
    path: "/verifications/{id}/submit",
    tags: ["verifications"],
    summary: "Submit: risk score, audit record and a place in the video-call queue",
    security: [{ bearer: [] }],
    request: { params: IdParam },
    responses: { 200: json(SubmitResponse, "Queued for a video call"), ...errors(401, 404, 409, 503) },
  }),
  async (c) => {
    const db = database(c.env.DB);
    const verification = await verificationFor(db, principalOf(c), c.req.valid("param").id);
    if (!verification) throw notFound("Verification");
    return c.json(await submitVerification(c.env, db, verification), 200);
  },
);
