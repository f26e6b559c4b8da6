// The audit records about a verification (its documents, itself, its calls) and where each
// stands in the log and on the chain, for the verification's detail view.
import type { Anchor } from "../schemas/receipts.ts";
import { anchorCovering, anchorView } from "./receipts.ts";

export type RecordAnchor = { record_id: string; kind: string; leaf_index: number | null; anchor: Anchor };

export async function anchorsOfVerification(env: Env, verificationId: string): Promise<RecordAnchor[]> {
  const records = await env.DB.prepare(
    `SELECT id, kind, leaf_index FROM audit_records
     WHERE subject_id = ?1
        OR subject_id IN (SELECT id FROM documents WHERE verification_id = ?1)
        OR subject_id IN (SELECT id FROM video_calls WHERE verification_id = ?1)
     ORDER BY created_at, id`,
  )
    .bind(verificationId)
    .all<{ id: string; kind: string; leaf_index: number | null }>();
  return Promise.all(
    records.results.map(async (r) => ({
      record_id: r.id,
      kind: r.kind,
      leaf_index: r.leaf_index,
      anchor: r.leaf_index === null ? { status: "pending" as const } : anchorView(await anchorCovering(env.DB, r.leaf_index)),
    })),
  );
}
