// The data lifecycle (README "Data lifecycle"): key rotation, erasure, legal hold, retention and
// the subject-access export. One definition for the routes, their OpenAPI document and the UI.
import { z } from "@hono/zod-openapi";
import { Receipt } from "./receipts.ts";

export const RotateKeysRequest = z.object({
  cursor: z.string().max(64).default("").openapi({ description: "The previous step's `next_cursor`; empty to start." }),
  limit: z.number().int().min(1).max(500).default(200),
});

export const RotationStep = z
  .object({
    master_version: z.number().int(),
    rewrapped: z.number().int(),
    adopted: z.number().int(),
    scanned: z.number().int(),
    next_cursor: z.string().nullable(),
    done: z.boolean(),
  })
  .openapi("RotationStep");

/** Free text, kept in D1 beside the erasure or hold; the audit record carries only its keyed hash. */
const Reason = z.string().trim().min(1, "reason is required").max(1000);

export const EraseRequest = z.object({ reason: Reason });
export const LegalHoldRequest = z.object({ reason: Reason });

export const ERASURE_BASES = ["request", "retention", "abandoned"] as const;
export type ErasureBasis = (typeof ERASURE_BASES)[number];

export const Erasure = z
  .object({
    verification_id: z.string(),
    status: z.literal("erased"),
    erased_at: z.string(),
    erased_by: z.string(),
    basis: z.enum(ERASURE_BASES),
    audit_record_id: z.string(),
    /** Leaves of the audit log whose stored data (and so their salts) were destroyed. */
    redacted_leaves: z.array(z.number().int()),
  })
  .openapi("Erasure");

export const LegalHold = z
  .object({
    verification_id: z.string(),
    on_hold: z.boolean(),
    reason: z.string().nullable(),
    placed_by: z.string().nullable(),
    placed_at: z.string().nullable(),
  })
  .openapi("LegalHold");

const Days = z.number().int().min(1).max(36_500);

export const RetentionSettings = z
  .object({
    document_days: Days.openapi({ description: "Document bytes are deleted this many days after the decision." }),
    recording_days: Days.openapi({ description: "Call recordings are deleted this many days after the decision." }),
    personal_data_days: Days.openapi({ description: "The whole verification is erased this many days after the decision." }),
    abandoned_days: Days.openapi({ description: "An undecided verification untouched this long is erased." }),
  })
  .openapi("RetentionSettings");
export type RetentionSettings = z.infer<typeof RetentionSettings>;

export const RetentionSettingsUpdate = RetentionSettings.partial();

export const DocumentLink = z.object({
  id: z.string(),
  doc_type: z.string(),
  content_type: z.string(),
  size: z.number().int(),
  document_hash: z.string(),
  /** A signed link to the decrypted bytes, valid until `expires_at`. */
  url: z.string(),
  expires_at: z.string(),
});

export const VerificationExport = z
  .object({
    format: z.literal("verifyid-export/v1"),
    exported_at: z.string(),
    verification: z.record(z.string(), z.unknown()),
    documents: z.array(DocumentLink),
    calls: z.array(z.record(z.string(), z.unknown())),
    decisions: z.array(z.record(z.string(), z.unknown())),
    legal_hold: LegalHold,
    receipts: z.array(
      z.object({ record_id: z.string(), kind: z.string(), status: z.enum(["logged", "queued"]), receipt: Receipt.nullable() }),
    ),
  })
  .openapi("VerificationExport");

export const DocumentLinkQuery = z.object({
  id: z.string().min(1).max(64),
  expires: z.coerce.number().int(),
  signature: z.string().min(1).max(128),
});
