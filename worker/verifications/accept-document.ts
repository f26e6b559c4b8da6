// Accepting one uploaded document into a verification (API.md "Upload an identity document"):
// sealed into R2, then its D1 row and audit record written in one transaction, *conditional on
// the verification still taking documents*. The state is checked again in the very statement
// that inserts, because an upload can still be streaming when the customer submits: the submit
// freezes the set first (verifications/submit.ts), and an insert that lands after the freeze
// changes nothing; its R2 object is then removed, so a refused upload leaves nothing behind.
import type { z } from "@hono/zod-openapi";
import { auditRow, queueForLog } from "../audit/producer.ts";
import { documentRecord, newSalt } from "../audit/records.ts";
import type { Principal } from "../auth/principal.ts";
import { configFrom } from "../config.ts";
import { takesDocuments } from "../core/verification-status.ts";
import { database, type Database } from "../db/client.ts";
import { documentIntake, insertDocumentWithRecord } from "../db/documents.ts";
import { verificationFor } from "../db/verifications.ts";
import { keepUpload, type UploadKind } from "../documents/keep-upload.ts";
import { ACCEPTED_MEDIA_TYPES, sniffMediaType, type AcceptedMediaType } from "../documents/media-type.ts";
import { ApiError, conflict, notFound, validationError } from "../http/errors.ts";
import { verificationDataKey } from "../lifecycle/keys.ts";
import { UploadFields } from "../schemas/verifications.ts";

type DocumentFields = z.infer<typeof UploadFields>;

const documentUpload = (maxBytes: number, tenantId: string, verificationId: string): UploadKind<AcceptedMediaType, DocumentFields> => ({
  maxBytes,
  requiredFields: ["doc_type"],
  fields: (form) => {
    // An empty issuing_country is "not stated", as a form's "Other/none" choice sends it.
    const fields = UploadFields.safeParse({ doc_type: form.get("doc_type"), issuing_country: form.get("issuing_country") || undefined });
    if (!fields.success) throw validationError(fields.error);
    return fields.data;
  },
  mediaType: sniffMediaType,
  unsupported: () =>
    new ApiError(415, "unsupported_media_type", "Only JPEG, PNG, WebP and PDF files are accepted.", {
      accepted: [...ACCEPTED_MEDIA_TYPES],
    }),
  objectKey: (id) => `tenants/${tenantId}/verifications/${verificationId}/${id}`,
  idMetadata: "document_id",
  sealingKey: (env) => verificationDataKey(env, tenantId, verificationId),
});

/** Stores the document uploaded in `request` for the principal's verification; the answer is
 * API.md's UploadedDocument. */
export async function acceptDocument(env: Env, who: Principal, verificationId: string, request: Request) {
  const config = configFrom(env);
  const max = config.maxDocumentsPerVerification;
  const db = database(env.DB);
  const verification = await verificationFor(db, who, verificationId);
  if (!verification) throw notFound("Verification");
  // An early answer before the body is read; the insert checks again.
  if (!takesDocuments(verification)) throw submittedConflict(verification.status);
  const accepted = await keepUpload(env, request, documentUpload(config.maxUploadBytes, who.tenantId, verification.id), async (upload) => {
    const record = documentRecord({
      tenantId: who.tenantId,
      documentId: upload.id,
      ownerId: verification.customerId,
      documentHash: upload.sha256,
      salt: newSalt(),
    });
    const document = {
      id: upload.id,
      tenantId: who.tenantId,
      verificationId: verification.id,
      docType: upload.fields.doc_type,
      issuingCountry: upload.fields.issuing_country ?? null,
      contentType: upload.mediaType,
      size: upload.size,
      documentHash: upload.sha256,
      objectKey: upload.objectKey,
    };
    if (!(await insertDocumentWithRecord(env.DB, document, auditRow(record, Date.now()), max))) return null;
    return {
      document_id: upload.id,
      document_hash: upload.sha256,
      size: upload.size,
      content_type: upload.mediaType,
      audit_record_id: record.recordId,
    };
  });
  if (!accepted) throw await refusal(db, verification.id, max);
  await queueForLog(env.AUDIT_QUEUE, [accepted.audit_record_id]);
  return accepted;
}

/** Why an insert was refused: the verification was submitted meanwhile, or it is full. */
async function refusal(db: Database, verificationId: string, maxDocuments: number) {
  const now = await documentIntake(db, verificationId);
  if (now && takesDocuments(now) && now.documents >= maxDocuments) {
    return conflict("too_many_documents", `A verification holds at most ${maxDocuments} documents.`, { max_documents: maxDocuments });
  }
  return submittedConflict(now?.status ?? "unknown");
}

const submittedConflict = (status: string) =>
  conflict("verification_submitted", "Documents can only be added before the verification is submitted.", { status });
