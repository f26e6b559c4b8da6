// The documents table: metadata of the identity documents whose sealed bytes are in R2. A
// document is written only by `insertDocumentWithRecord`, together with its audit record and
// only while its verification takes documents; it is withdrawn the same way
// (`deleteDocumentWithRecord`).
import { and, asc, eq, inArray, ne, type SQLWrapper } from "drizzle-orm";
import type { Principal } from "../auth/principal.ts";
import type { AuditRow } from "./audit-records.ts";
import { iso } from "../ids.ts";
import type { Verification } from "../schemas/verifications.ts";
import { insertAuditRowWhen } from "./audit-records.ts";
import type { Database } from "./client.ts";
import { documents, verifications } from "./schema.ts";
import { verificationFor, type VerificationRow } from "./verifications.ts";

export type DocumentRow = typeof documents.$inferSelect;

export async function documentsOf(db: Database, verificationId: string): Promise<DocumentRow[]> {
  return db.select().from(documents).where(eq(documents.verificationId, verificationId)).orderBy(asc(documents.createdAt));
}

/** A document if the principal may read it: staff of its tenant, or the verification's customer. */
export async function documentFor(db: Database, who: Principal, id: string) {
  const doc = await db.query.documents.findFirst({
    where: and(eq(documents.id, id), eq(documents.tenantId, who.tenantId)),
  });
  if (!doc) return null;
  return (await verificationFor(db, who, doc.verificationId)) ? doc : null;
}

/** Document `id` if it belongs to verification `verificationId` (already read through the caller's tenant). */
export async function documentOfVerification(db: Database, verificationId: string, id: string) {
  return db.query.documents.findFirst({ where: and(eq(documents.id, id), eq(documents.verificationId, verificationId)) });
}

/** A document by id, in any tenant: for a caller whose right was proven otherwise (a signed link). */
export async function documentById(db: Database, id: string) {
  return db.query.documents.findFirst({ where: eq(documents.id, id) });
}

/** The first document stored with this hash, in any tenant. */
export async function firstDocumentWithHash(db: Database, documentHash: string) {
  return db.query.documents.findFirst({
    where: eq(documents.documentHash, documentHash),
    orderBy: [asc(documents.createdAt), asc(documents.id)],
    columns: { id: true },
  });
}

/** The hashes among `hashes` (a list, or a subquery of hashes) that other customers of the
 * verification's tenant uploaded too, each once. */
export function reusedHashes(db: Database, verification: Pick<VerificationRow, "tenantId" | "customerId">, hashes: string[] | SQLWrapper) {
  return db
    .selectDistinct({ hash: documents.documentHash })
    .from(documents)
    .innerJoin(verifications, eq(documents.verificationId, verifications.id))
    .where(
      and(
        eq(documents.tenantId, verification.tenantId),
        inArray(documents.documentHash, hashes),
        ne(verifications.customerId, verification.customerId),
      ),
    );
}

/** How many of `hashes` other customers of the tenant uploaded too (a risk signal). */
export async function reusedDocumentCount(db: Database, verification: VerificationRow, hashes: string[]): Promise<number> {
  if (hashes.length === 0) return 0;
  return (await reusedHashes(db, verification, hashes)).length;
}

/** SQL: the verification still takes documents (created, not frozen by a submit) and has room. */
const TAKES_DOCUMENTS = `EXISTS (SELECT 1 FROM verifications WHERE id = ? AND status = 'created' AND submitted_at IS NULL)
  AND (SELECT COUNT(*) FROM documents WHERE verification_id = ?) < ?`;

/** Inserts the document and its audit record in one batch (one transaction), both only while the
 * verification takes documents and holds fewer than `maxDocuments`: no document without a leaf,
 * no leaf without a document. Returns whether they were written. Raw SQL: drizzle has no
 * INSERT … SELECT … WHERE, and the condition must be checked by the inserting statement itself
 * (an upload may still be streaming when the customer submits; verifications/submit.ts). */
export async function insertDocumentWithRecord(
  d1: D1Database,
  doc: Omit<DocumentRow, "createdAt">,
  record: AuditRow,
  maxDocuments: number,
): Promise<boolean> {
  const [inserted] = await d1.batch([
    d1
      .prepare(
        `INSERT INTO documents (id, tenant_id, verification_id, doc_type, content_type, size, document_hash, object_key, issuing_country, created_at)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ${TAKES_DOCUMENTS}`,
      )
      .bind(
        doc.id,
        doc.tenantId,
        doc.verificationId,
        doc.docType,
        doc.contentType,
        doc.size,
        doc.documentHash,
        doc.objectKey,
        doc.issuingCountry,
        record.created_at,
        doc.verificationId,
        doc.verificationId,
        maxDocuments,
      ),
    insertAuditRowWhen(d1, record, "SELECT 1 FROM documents WHERE id = ?", doc.id),
  ]);
  return (inserted?.meta.changes ?? 0) > 0;
}

/** SQL: the document `?` belongs to a verification that still takes documents. */
const WITHDRAWABLE = `SELECT 1 FROM documents d JOIN verifications v ON v.id = d.verification_id
  WHERE d.id = ? AND v.status = 'created' AND v.submitted_at IS NULL`;

/** Deletes the document's row and writes its withdrawal record in one batch (one transaction),
 * both only while its verification takes documents: the record is written first, under the same
 * condition the delete then checks, so there is a record exactly when the row went. Returns
 * whether the row was deleted. The document's own audit record stays (the log is append-only). */
export async function deleteDocumentWithRecord(d1: D1Database, documentId: string, record: AuditRow): Promise<boolean> {
  const [, deleted] = await d1.batch([
    insertAuditRowWhen(d1, record, WITHDRAWABLE, documentId),
    d1.prepare(`DELETE FROM documents WHERE id = ? AND EXISTS (${WITHDRAWABLE})`).bind(documentId, documentId),
  ]);
  return (deleted?.meta.changes ?? 0) > 0;
}

/** What decides whether a verification takes another document: its state and its documents' count. */
export async function documentIntake(db: Database, verificationId: string) {
  return db
    .select({
      status: verifications.status,
      submittedAt: verifications.submittedAt,
      documents: db.$count(documents, eq(documents.verificationId, verificationId)),
    })
    .from(verifications)
    .where(eq(verifications.id, verificationId))
    .get();
}

export function documentSummary(doc: DocumentRow, auditRecordId: string | null): Verification["documents"][number] {
  return {
    id: doc.id,
    doc_type: doc.docType as Verification["documents"][number]["doc_type"],
    content_type: doc.contentType,
    size: doc.size,
    document_hash: doc.documentHash,
    issuing_country: doc.issuingCountry,
    audit_record_id: auditRecordId,
    created_at: iso(doc.createdAt)!,
  };
}
