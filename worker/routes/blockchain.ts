// Blockchain routes kept from seed 000. Hashing a document stores nothing.
import { createRoute, z } from "@hono/zod-openapi";
import { principalOf } from "../auth/middleware.ts";
import { configFrom } from "../config.ts";
import { anchorByKey } from "../db/anchors.ts";
import { database } from "../db/client.ts";
import { readUploadedFile } from "../documents/upload.ts";
import { notFound } from "../http/errors.ts";
import { router } from "../http/openapi.ts";
import { byUser, rateLimit } from "../http/rate-limits.ts";
import { iso } from "../ids.ts";
import { errors, json, jsonBody } from "../schemas/common.ts";
import { FraudAnalysis } from "../schemas/verifications.ts";
import { recordSubmissionFor } from "../verifications/audit.ts";
import { riskOf } from "../verifications/submit.ts";

export const blockchainRoutes = router();
const HashedDocument = z
  .object({ document_hash: z.string(), algorithm: z.literal("sha256"), size: z.number().int() })
  .openapi("HashedDocument");

const hashRoute = createRoute({
  method: "post",
  path: "/hash-document",
  tags: ["blockchain"],
  summary: "SHA-256 of an uploaded file; nothing is stored",
  security: [{ bearer: [] }],
  request: {
    body: {
      required: true,
      content: { "multipart/form-data": { schema: z.object({ file: z.any().openapi({ type: "string", format: "binary" }) }) } },
    },
  },
  responses: { 200: json(HashedDocument, "The hash"), ...errors(400, 401, 413, 415) },
});
blockchainRoutes.openAPIRegistry.registerPath(hashRoute);
blockchainRoutes.post("/hash-document", rateLimit("uploads", byUser), async (c) => {
  const upload = await readUploadedFile(c.req.raw, configFrom(c.env).maxUploadBytes);
  return c.json({ document_hash: upload.sha256, algorithm: "sha256" as const, size: upload.size }, 200);
});

const StoreVerificationRequest = z
  .object({ verification_id: z.string().min(1, "verification_id is required").max(64) })
  .openapi("StoreVerificationRequest");
const StoreVerificationResponse = z.object({ status: z.literal("queued"), record_id: z.string() }).openapi("StoreVerificationResult");

blockchainRoutes.openapi(
  createRoute({
    method: "post",
    path: "/store-verification",
    tags: ["blockchain"],
    summary: "Record a submitted verification in the audit log (idempotent)",
    security: [{ bearer: [] }],
    request: { body: jsonBody(StoreVerificationRequest) },
    responses: { 202: json(StoreVerificationResponse, "Queued for the log"), ...errors(400, 401, 404, 409) },
  }),
  async (c) =>
    c.json(
      { status: "queued" as const, record_id: await recordSubmissionFor(c.env, principalOf(c), c.req.valid("json").verification_id) },
      202,
    ),
);

const AnchorStatus = z
  .object({
    tx_hash: z.string(),
    status: z.enum(["pending", "confirmed", "failed"]),
    node_url: z.string().nullable(),
    block_height: z.number().optional(),
    anchored_root: z.string(),
    tree_size: z.number().int(),
    confirmed_at: z.string().optional(),
    error: z.string().optional(),
  })
  .openapi("AnchorStatus");

blockchainRoutes.openapi(
  createRoute({
    method: "get",
    path: "/verify/{tx_hash}",
    tags: ["blockchain"],
    summary: "Status of an anchor, by Thronos tx id or by anchored root hash",
    security: [{ bearer: [] }],
    request: {
      params: z.object({
        tx_hash: z
          .string()
          .min(1)
          .max(128)
          .openapi({ param: { name: "tx_hash", in: "path" } }),
      }),
    },
    responses: { 200: json(AnchorStatus, "Anchor"), ...errors(401, 404) },
  }),
  async (c) => {
    const key = c.req.valid("param").tx_hash;
    const row = await anchorByKey(database(c.env.DB), key);
    if (!row) throw notFound("Anchor");
    return c.json(
      {
        tx_hash: row.txId ?? key,
        status: row.status,
        node_url: row.nodeUrl,
        ...(row.blockHeight != null ? { block_height: row.blockHeight } : {}),
        anchored_root: row.rootHash,
        tree_size: row.treeSize,
        ...(row.confirmedAt ? { confirmed_at: iso(row.confirmedAt)! } : {}),
        ...(row.error && row.status !== "confirmed" ? { error: row.error } : {}),
      },
      200,
    );
  },
);

blockchainRoutes.openapi(
  createRoute({
    method: "get",
    path: "/ai/risk-score/{verification_id}",
    tags: ["blockchain"],
    summary: "The verification's risk score (stored at submit, or assessed now)",
    security: [{ bearer: [] }],
    request: {
      params: z.object({
        verification_id: z
          .string()
          .min(1)
          .max(64)
          .openapi({ param: { name: "verification_id", in: "path" } }),
      }),
    },
    responses: { 200: json(FraudAnalysis, "Risk"), ...errors(401, 403, 404) },
  }),
  async (c) => c.json(await riskOf(c.env, principalOf(c), c.req.valid("param").verification_id), 200),
);
