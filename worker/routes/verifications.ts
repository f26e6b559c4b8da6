// Verification intake: create, upload and remove documents, read back, list (staff), submit.
import { createRoute, z } from "@hono/zod-openapi";
import { principalOf, requirePermission } from "../auth/middleware.ts";
import { can } from "../auth/permissions.ts";
import { callFor } from "../calls/lookup.ts";
import { router } from "../http/openapi.ts";
import { byUser, rateLimit } from "../http/rate-limits.ts";
import {
  CreatedVerificationAnswer,
  CreateHostedVerificationRequest,
  CreateVerificationBody,
  IdempotencyHeader,
  VerificationLookupQuery,
} from "../schemas/api-keys.ts";
import { errors, Id, IdParam, json } from "../schemas/common.ts";
import { SubmitResponse, UploadDocumentForm, UploadedDocument, Verification, VerificationList } from "../schemas/verifications.ts";
import { withdrawDocument } from "../documents/withdraw.ts";
import { acceptDocument } from "../verifications/accept-document.ts";
import { createVerification } from "../verifications/create.ts";
import { createHostedVerification, verificationsByExternalRef } from "../verifications/hosted.ts";
import { validationError } from "../http/errors.ts";
import { verificationDetail, verificationPage } from "../verifications/read.ts";
import { submitFor } from "../verifications/submit.ts";

export const verificationRoutes = router();

verificationRoutes.openapi(
  createRoute({
    method: "post",
    path: "/",
    tags: ["verifications"],
    summary: "Start a verification (customers), or a hosted verification session (API key with verifications:write)",
    security: [{ bearer: [] }, { apiKey: [] }] as Array<Record<string, string[]>>,
    middleware: [requirePermission("verifications.own"), rateLimit("verifications", byUser)] as const,
    request: {
      headers: IdempotencyHeader,
      body: { required: false, content: { "application/json": { schema: CreateVerificationBody } } },
    },
    responses: { 201: json(CreatedVerificationAnswer, "Created"), ...errors(400, 401, 403, 422) },
  }),
  async (c) => {
    const who = principalOf(c);
    if (!who.apiKey) {
      const body = c.req.valid("json");
      return c.json(await createVerification(c.env, who, body.user_info, body.requirements), 201);
    }
    const body = CreateHostedVerificationRequest.safeParse(c.req.valid("json"));
    if (!body.success) throw validationError(body.error);
    const idempotencyKey = c.req.valid("header")["idempotency-key"];
    return c.json(await createHostedVerification(c.env, who, body.data, idempotencyKey, c.req.url), 201);
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
verificationRoutes.post("/:id/documents", rateLimit("uploads", byUser), async (c) =>
  c.json(await acceptDocument(c.env, principalOf(c), c.req.param("id"), c.req.raw), 201),
);

const DocumentParams = IdParam.extend({ document_id: Id.openapi({ param: { name: "document_id", in: "path" } }) });
const WithdrawnDocument = z
  .object({ document_id: z.string(), withdrawn: z.literal(true), audit_record_id: z.string() })
  .openapi("WithdrawnDocument");

verificationRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/{id}/documents/{document_id}",
    tags: ["verifications"],
    summary: "Remove a document before submit (its bytes deleted; a withdrawal audit record written)",
    security: [{ bearer: [] }],
    request: { params: DocumentParams },
    responses: { 200: json(WithdrawnDocument, "Removed"), ...errors(401, 404, 409) },
  }),
  async (c) => {
    const { id, document_id } = c.req.valid("param");
    return c.json(await withdrawDocument(c.env, principalOf(c), id, document_id), 200);
  },
);

verificationRoutes.openapi(
  createRoute({
    method: "get",
    path: "/{id}",
    tags: ["verifications"],
    summary: "A verification with its documents, fraud analysis, call and anchors",
    security: [{ bearer: [] }, { apiKey: [] }] as Array<Record<string, string[]>>,
    request: { params: IdParam },
    responses: { 200: json(Verification, "The verification"), ...errors(401, 404) },
  }),
  async (c) => c.json(await verificationDetail(c.env, principalOf(c), c.req.valid("param").id, (id) => callFor(c, id)), 200),
);

verificationRoutes.openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["verifications"],
    summary: "Verifications, newest first: the tenant's for staff and API keys (also by external_ref), a customer's own for customers",
    security: [{ bearer: [] }, { apiKey: [] }] as Array<Record<string, string[]>>,
    request: { query: VerificationLookupQuery },
    responses: { 200: json(VerificationList, "A page of verifications"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const { external_ref, ...query } = c.req.valid("query");
    const who = principalOf(c);
    if (external_ref !== undefined && can(who.role, "verifications.read_all")) {
      return c.json(await verificationsByExternalRef(c.env, who, external_ref, query.limit), 200);
    }
    return c.json(await verificationPage(c.env, who, query), 200);
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
  async (c) => c.json(await submitFor(c.env, principalOf(c), c.req.valid("param").id), 200),
);
