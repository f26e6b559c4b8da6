// Accepting one uploaded document into a verification: sealed into R2, then its D1 row and
// audit record written in one transaction, *conditional on the verification still taking
// documents*. The state is checked again in the very statement that inserts, because an upload
// can still be streaming when the customer submits: the submit freezes the set first
// (verifications/submit.ts), and an insert that lands after the freeze changes nothing; its R2
// object is then removed, so a refused upload leaves nothing behind.
import { auditRow, insertAuditRowWhen, queueForLog } from "../audit/producer.ts";
import { documentRecord, newSalt } from "../audit/records.ts";
import type { Principal } from "../auth/principal.ts";
import { takesDocuments } from "../core/verification-status.ts";
import type { VerificationRow } from "../db/verifications.ts";
import { masterKey, seal } from "../documents/envelope.ts";
import type { AcceptedMediaType } from "../documents/media-type.ts";
import type { UploadedFile } from "../documents/upload.ts";
import { conflict } from "../http/errors.ts";
import { newId } from "../ids.ts";

/** SQL: the verification still takes documents (created, not frozen by a submit) and has room. */
const TAKES_DOCUMENTS = `EXISTS (SELECT 1 FROM verifications WHERE id = ? AND status = 'created' AND submitted_at IS NULL)
  AND (SELECT COUNT(*) FROM documents WHERE verification_id = ?) < ?`;

export async function acceptDocument(
  env: Env,
  who: Principal,
  verification: VerificationRow,
  upload: UploadedFile & { mediaType: AcceptedMediaType },
  docType: string,
  maxDocuments: number,
) {
  const documentId = newId();
  const objectKey = `tenants/${who.tenantId}/verifications/${verification.id}/${documentId}`;
  const envelope = await seal(upload.bytes, documentId, await masterKey(env.DOCUMENT_MASTER_KEY));
  await env.DOCUMENTS.put(objectKey, envelope, { customMetadata: { document_id: documentId, encryption: "verifyid-envelope-v1" } });
  const record = documentRecord({
    tenantId: who.tenantId,
    documentId,
    ownerId: verification.customerId,
    documentHash: upload.sha256,
    salt: newSalt(),
  });
  const row = auditRow(record, Date.now());
  // Raw SQL: drizzle has no INSERT … SELECT … WHERE for a conditional insert in a batch.
  let inserted = 0;
  try {
    const [doc] = await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO documents (id, tenant_id, verification_id, doc_type, content_type, size, document_hash, object_key, created_at)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ${TAKES_DOCUMENTS}`,
      ).bind(
        documentId,
        who.tenantId,
        verification.id,
        docType,
        upload.mediaType,
        upload.size,
        upload.sha256,
        objectKey,
        row.created_at,
        verification.id,
        verification.id,
        maxDocuments,
      ),
      // The document and its audit record together: no document without a leaf, no leaf without a document.
      insertAuditRowWhen(env.DB, row, "SELECT 1 FROM documents WHERE id = ?", documentId),
    ]);
    inserted = doc?.meta.changes ?? 0;
  } finally {
    if (inserted === 0) await env.DOCUMENTS.delete(objectKey);
  }
  if (inserted === 0) throw await refusal(env.DB, verification.id, maxDocuments);
  await queueForLog(env.AUDIT_QUEUE, [record.recordId]);
  return {
    document_id: documentId,
    document_hash: upload.sha256,
    size: upload.size,
    content_type: upload.mediaType,
    audit_record_id: record.recordId,
  };
}

/** Why an insert was refused: the verification was submitted meanwhile, or it is full. */
async function refusal(db: D1Database, verificationId: string, maxDocuments: number) {
  const now = await db
    .prepare(
      "SELECT status, submitted_at, (SELECT COUNT(*) FROM documents WHERE verification_id = ?1) AS documents FROM verifications WHERE id = ?1",
    )
    .bind(verificationId)
    .first<{ status: string; submitted_at: number | null; documents: number }>();
  if (now && takesDocuments({ status: now.status, submittedAt: now.submitted_at }) && now.documents >= maxDocuments) {
    return conflict("too_many_documents", `A verification holds at most ${maxDocuments} documents.`, { max_documents: maxDocuments });
  }
  return submittedConflict(now?.status ?? "unknown");
}

export const submittedConflict = (status: string) =>
  conflict("verification_submitted", "Documents can only be added before the verification is submitted.", { status });
