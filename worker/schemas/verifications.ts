import { z } from "@hono/zod-openapi";
import { Limit, Priority, Timestamp } from "./common.ts";
import { Requirement } from "./routing.ts";
import { CallViewSchema } from "./video-calls.ts";

export const DOC_TYPES = ["passport", "id_card", "driver_license", "selfie", "proof_of_address"] as const;
export const DocType = z.enum(DOC_TYPES, { error: `doc_type must be one of ${DOC_TYPES.join(", ")}` });

export const VERIFICATION_STATUSES = [
  "created",
  "pending_video_call",
  "in_video_call",
  "approved",
  "rejected",
  "needs_review",
  "cancelled",
  "erased",
] as const;
export const VerificationStatus = z.enum(VERIFICATION_STATUSES).openapi("VerificationStatus");
export type VerificationStatus = z.infer<typeof VerificationStatus>;

export const UserInfo = z
  .object({
    name: z.string().trim().min(1, "name must not be empty").max(200).optional(),
    email: z.email("email must be an email address").max(254).optional(),
    date_of_birth: z.iso.date("date_of_birth must be a date like 1990-01-31").optional(),
    /** BCP 47, e.g. `de` or `de-AT`: the agent must speak its language (issue 17). */
    language: z
      .string()
      .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, "language must be a language tag like de or de-AT")
      .optional(),
  })
  .strict()
  .openapi("UserInfo");
export type UserInfo = z.infer<typeof UserInfo>;

export const CreateVerificationRequest = z
  .object({ user_info: UserInfo.optional(), requirements: z.array(Requirement).max(10).optional() })
  .openapi("CreateVerificationRequest");
export const CreatedVerification = z.object({ id: z.string(), status: z.literal("created") });

/** ISO 3166-1 alpha-2 in upper case (`DE`): the country that issued a document (issue 17). */
export const IssuingCountry = z
  .string()
  .regex(/^[A-Z]{2}$/, "issuing_country must be an ISO 3166-1 alpha-2 code in upper case, like DE")
  .openapi({ example: "DE" });

export const UploadDocumentForm = z
  .object({
    file: z.any().openapi({ type: "string", format: "binary", description: "jpeg, png, webp or pdf; at most 10 MiB" }),
    doc_type: DocType,
    issuing_country: IssuingCountry.optional(),
  })
  .openapi("UploadDocumentForm");

/** The text fields of the upload form (the file part is checked by documents/upload.ts). */
export const UploadFields = z.object({ doc_type: DocType, issuing_country: IssuingCountry.optional() });

export const UploadedDocument = z
  .object({
    document_id: z.string(),
    audit_record_id: z.string(),
    document_hash: z.string().openapi({ description: "Lowercase hex SHA-256 of the exact bytes" }),
    size: z.number().int(),
    content_type: z.string(),
  })
  .openapi("UploadedDocument");

export const DocumentSummary = z
  .object({
    id: z.string(),
    doc_type: DocType,
    content_type: z.string(),
    size: z.number().int(),
    document_hash: z.string(),
    /** As stated at upload; null when it was not. */
    issuing_country: IssuingCountry.nullable(),
    audit_record_id: z.string().nullable(),
    created_at: Timestamp,
  })
  .openapi("DocumentSummary");

export const RiskSource = z.enum(["ai_core", "rule_based"]);
export const RiskLevel = z.enum(["low", "medium", "high", "critical"]);
export const FraudAnalysis = z
  .object({
    fraud_score: z.number().min(0).max(1),
    risk_level: RiskLevel,
    flags: z.array(z.string()),
    risk_source: RiskSource,
  })
  .openapi("FraudAnalysis");
export type FraudAnalysis = z.infer<typeof FraudAnalysis>;

export const Verification = z
  .object({
    id: z.string(),
    tenant_id: z.string(),
    customer_id: z.string(),
    status: VerificationStatus,
    user_info: UserInfo.nullable(),
    documents: z.array(DocumentSummary),
    fraud_analysis: FraudAnalysis.nullable(),
    priority: Priority.nullable(),
    call_id: z.string().nullable(),
    // A union, not `.nullable()`: the generator would mark the shared VideoCall component nullable.
    call: z.union([CallViewSchema, z.null()]),
    decision: z.string().nullable(),
    decision_reason: z.string().nullable(),
    anchors: z.array(z.record(z.string(), z.unknown())),
    created_at: Timestamp,
    updated_at: Timestamp,
    submitted_at: Timestamp.nullable(),
    decided_at: Timestamp.nullable(),
  })
  .openapi("Verification");
export type Verification = z.infer<typeof Verification>;

export const VerificationListQuery = z.object({
  status: VerificationStatus.optional(),
  limit: Limit(20, 100),
  cursor: z.string().max(64).optional(),
});

export const VerificationList = z
  .object({ items: z.array(Verification.omit({ documents: true, call: true, anchors: true })), next_cursor: z.string().nullable() })
  .openapi("VerificationList");

export const SubmitResponse = z
  .object({
    status: z.literal("pending_video_call"),
    // Staff only: a customer's answer carries no risk internals (README, "Security").
    fraud_score: z.number().min(0).max(1).optional(),
    risk_level: RiskLevel.optional(),
    flags: z.array(z.string()).optional(),
    risk_source: RiskSource.optional(),
    priority: Priority,
    call_id: z.string(),
    position_in_queue: z.number().int(),
    estimated_wait_seconds: z.number().int(),
  })
  .openapi("SubmitResult");
