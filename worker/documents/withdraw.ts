// Withdrawing a document before submit (the customer's "remove" or "replace"): its D1 row goes
// together with a `document_withdrawn` audit record in one transaction, conditional on the
// verification still taking documents (a submit may land meanwhile: verifications/submit.ts
// freezes the set, and a delete after the freeze changes nothing); then its R2 object is
// deleted. D1 first: a refused delete must leave the bytes in place, while an R2 delete that
// fails afterwards leaves only ciphertext under the verification's key, which erasure destroys.
import { auditRow, queueForLog } from "../audit/producer.ts";
import { documentWithdrawnRecord, newSalt } from "../audit/records.ts";
import type { Principal } from "../auth/principal.ts";
import { takesDocuments } from "../core/verification-status.ts";
import { database } from "../db/client.ts";
import { deleteDocumentWithRecord, documentIntake, documentOfVerification } from "../db/documents.ts";
import { verificationFor } from "../db/verifications.ts";
import { conflict, notFound } from "../http/errors.ts";

export type WithdrawnDocument = { document_id: string; withdrawn: true; audit_record_id: string };

/** Removes document `documentId` from the principal's verification `verificationId` (its
 * customer, or staff of its tenant); 404 for a document or verification the principal cannot
 * see, 409 `verification_submitted` once documents are frozen. */
export async function withdrawDocument(env: Env, who: Principal, verificationId: string, documentId: string): Promise<WithdrawnDocument> {
  const db = database(env.DB);
  const verification = await verificationFor(db, who, verificationId);
  if (!verification) throw notFound("Verification");
  const doc = await documentOfVerification(db, verification.id, documentId);
  if (!doc) throw notFound("Document");
  if (!takesDocuments(verification)) throw submittedConflict(verification.status);

  const now = Date.now();
  const record = documentWithdrawnRecord({
    tenantId: verification.tenantId,
    documentId: doc.id,
    verificationId: verification.id,
    ownerId: verification.customerId,
    documentHash: doc.documentHash,
    withdrawnBy: who.userId,
    withdrawnAt: new Date(now).toISOString(),
    salt: newSalt(),
  });
  if (!(await deleteDocumentWithRecord(env.DB, doc.id, auditRow(record, now)))) {
    // Submitted meanwhile (or withdrawn by a concurrent request: then it is gone either way).
    const intake = await documentIntake(db, verification.id);
    if (intake && takesDocuments(intake)) throw notFound("Document");
    throw submittedConflict(intake?.status ?? "unknown");
  }
  await env.DOCUMENTS.delete(doc.objectKey);
  await queueForLog(env.AUDIT_QUEUE, [record.recordId]);
  return { document_id: doc.id, withdrawn: true, audit_record_id: record.recordId };
}

const submittedConflict = (status: string) =>
  conflict("verification_submitted", "Documents can only be removed before the verification is submitted.", { status });
