// The audit log's public face: receipts, signed checkpoints, consistency proofs, public key.
import { createRoute } from "@hono/zod-openapi";
import { principalOf } from "../auth/middleware.ts";
import { isStaff } from "../auth/permissions.ts";
import { receiptFor, recordOfDocumentHash } from "../audit/receipts.ts";
import { signingKey } from "../audit/signing.ts";
import { configFrom } from "../config.ts";
import { auditRecordInTenant, type AuditRecordRow } from "../db/audit-records.ts";
import { database } from "../db/client.ts";
import { toBase64 } from "../encoding.ts";
import { ApiError, notFound } from "../http/errors.ts";
import { router } from "../http/openapi.ts";
import { clientIp, rateLimit } from "../http/rate-limits.ts";
import {
  CheckpointSchema,
  ConsistencyQuery,
  ConsistencyResponse,
  PublicKey,
  Queued,
  ReceiptQuery,
  ReceiptSchema,
  RecordIdParam,
} from "../schemas/audit.ts";
import { errors, json } from "../schemas/common.ts";
import type { AppEnv } from "../http/app-env.ts";
import type { Context } from "hono";

export const auditRoutes = router();

const log = (env: Env) => env.AUDIT_LOG.getByName("main");

/** The receipt, or 202 while the record waits for the log (it is in D1 and queued). */
async function receiptResponse(c: Context<AppEnv>, row: AuditRecordRow) {
  // An erased record's leaf input is gone (README "Data lifecycle"): there is no receipt left.
  if (row.data === "") throw notFound("Audit record");
  const receipt = await receiptFor(c.env, row);
  if (!receipt) return c.json({ status: "queued" as const, record_id: row.id }, 202, { "Retry-After": "2" });
  return c.json(receipt, 200);
}

auditRoutes.openapi(
  createRoute({
    method: "get",
    path: "/receipts",
    tags: ["audit"],
    summary: "A document's receipt by its SHA-256 (public: knowing the hash is the credential)",
    middleware: [rateLimit("public_audit", clientIp)] as const,
    request: { query: ReceiptQuery },
    responses: { 200: json(ReceiptSchema, "The receipt"), 202: json(Queued, "Recorded, not yet in the log"), ...errors(400, 404) },
  }),
  async (c) => {
    const row = await recordOfDocumentHash(database(c.env.DB), c.req.valid("query").document_hash.toLowerCase());
    if (!row) throw notFound("A receipt for this document hash");
    return receiptResponse(c, row);
  },
);

auditRoutes.openapi(
  createRoute({
    method: "get",
    path: "/receipts/{record_id}",
    tags: ["audit"],
    summary: "A record's receipt (its owner, or staff of its tenant)",
    security: [{ bearer: [] }],
    request: { params: RecordIdParam },
    responses: { 200: json(ReceiptSchema, "The receipt"), 202: json(Queued, "Recorded, not yet in the log"), ...errors(401, 404) },
  }),
  async (c) => {
    const who = principalOf(c);
    const row = await auditRecordInTenant(database(c.env.DB), who.tenantId, c.req.valid("param").record_id);
    if (!row || (!isStaff(who.role) && row.ownerId !== who.userId)) throw notFound("Audit record");
    return receiptResponse(c, row);
  },
);

auditRoutes.openapi(
  createRoute({
    method: "get",
    path: "/checkpoint",
    tags: ["audit"],
    summary: "The latest signed checkpoint (public)",
    middleware: [rateLimit("public_audit", clientIp)] as const,
    responses: { 200: json(CheckpointSchema, "Checkpoint"), ...errors(404) },
  }),
  async (c) => {
    const checkpoint = await log(c.env).latestCheckpoint();
    if (!checkpoint) throw notFound("A checkpoint (the log is empty)");
    return c.json(checkpoint, 200, { "Cache-Control": "no-store" });
  },
);

auditRoutes.openapi(
  createRoute({
    method: "get",
    path: "/consistency",
    tags: ["audit"],
    summary: "RFC 6962 consistency proof between two tree sizes (public)",
    middleware: [rateLimit("public_audit", clientIp)] as const,
    request: { query: ConsistencyQuery },
    responses: { 200: json(ConsistencyResponse, "Proof"), ...errors(400) },
  }),
  async (c) => {
    const { from, to } = c.req.valid("query");
    const size = await log(c.env).size();
    if (to > size) throw new ApiError(400, "validation_error", `The log has ${size} leaves.`, { to: `to must be at most ${size}` });
    return c.json({ from, to, proof: await log(c.env).consistency(from, to) }, 200);
  },
);

auditRoutes.openapi(
  createRoute({
    method: "get",
    path: "/public-key",
    tags: ["audit"],
    summary: "The Ed25519 key that signs checkpoints (public)",
    middleware: [rateLimit("public_audit", clientIp)] as const,
    responses: { 200: json(PublicKey, "Key"), ...errors(503) },
  }),
  async (c) => {
    const key = await signingKey(c.env.AUDIT_SIGNING_KEY, configFrom(c.env).audit.origin);
    return c.json({ algorithm: "Ed25519" as const, public_key: toBase64(key.publicKey), key_id: key.keyId, origin: key.origin }, 200, {
      "Cache-Control": "public, max-age=300",
    });
  },
);
