// What an erasure blanks in D1 (README "Data lifecycle"), as one batch of statements beside its
// own audit record: the verification keeps its row (status `erased`, no user info), its
// documents and recordings lose their rows (their hashes would match a leaked file), its calls
// lose the customer's name and the notes with their key, overrides lose their stated reason, and
// the audit records about it lose their leaf input (with the salt). Raw SQL: subqueries over
// several tables, in a fixed order inside one transaction.
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Database } from "./client.ts";
import { callRecordings, documents, videoCalls } from "./schema.ts";

/** The R2 keys of everything the verification has stored: documents and call recordings. */
export async function storedObjectsOf(db: Database, verificationId: string): Promise<string[]> {
  const docs = await db.select({ key: documents.objectKey }).from(documents).where(eq(documents.verificationId, verificationId));
  const recordings = await db
    .select({ key: callRecordings.objectKey })
    .from(callRecordings)
    .where(
      inArray(
        callRecordings.callId,
        db.select({ id: videoCalls.id }).from(videoCalls).where(eq(videoCalls.verificationId, verificationId)),
      ),
    );
  return [...docs, ...recordings].map((r) => r.key);
}

/** The verification's recordings (R2 keys), for retention's recording purge. */
export async function recordingObjectsOf(db: Database, verificationId: string): Promise<string[]> {
  const rows = await db
    .select({ key: callRecordings.objectKey })
    .from(callRecordings)
    .innerJoin(videoCalls, eq(videoCalls.id, callRecordings.callId))
    .where(and(eq(videoCalls.verificationId, verificationId)))
    .orderBy(asc(callRecordings.createdAt));
  return rows.map((r) => r.key);
}

const ABOUT_VERIFICATION = `(subject_id = ?1 OR subject_id IN (SELECT id FROM documents WHERE verification_id = ?1)
  OR subject_id IN (SELECT id FROM video_calls WHERE verification_id = ?1))`;

/** The statements that blank the verification's personal data, in order; the verification
 * becomes `erased` only if it was not already. */
export function blankPersonalData(d1: D1Database, verificationId: string, now: number): D1PreparedStatement[] {
  return [
    d1.prepare(`UPDATE audit_records SET data = '' WHERE ${ABOUT_VERIFICATION} AND kind != 'verification_erased'`).bind(verificationId),
    d1.prepare("DELETE FROM call_recordings WHERE call_id IN (SELECT id FROM video_calls WHERE verification_id = ?)").bind(verificationId),
    d1
      .prepare("UPDATE video_calls SET user_name = '', notes = NULL, notes_key = NULL, updated_at = ? WHERE verification_id = ?")
      .bind(now, verificationId),
    d1.prepare("UPDATE decision_overrides SET reason = '' WHERE verification_id = ?").bind(verificationId),
    d1.prepare("DELETE FROM documents WHERE verification_id = ?").bind(verificationId),
    d1
      .prepare("UPDATE verifications SET status = 'erased', user_info = NULL, updated_at = ? WHERE id = ? AND status != 'erased'")
      .bind(now, verificationId),
  ];
}
