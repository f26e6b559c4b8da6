// Receipts (API.md): a leaf, its inclusion proof, a signed checkpoint and the anchor. Where a
// confirmed anchor covers the leaf, the proof is made against exactly that anchored
// checkpoint, so leaf, proof, signature and chain transaction all name the same root and the
// receipt verifies offline without any further request.
import { anchorCovering, type AnchorRow } from "../db/anchors.ts";
import { auditRecord, type AuditRecordRow } from "../db/audit-records.ts";
import { database, type Database } from "../db/client.ts";
import { firstDocumentWithHash } from "../db/documents.ts";
import { iso } from "../ids.ts";
import { RECEIPT_VERSION, type Anchor, type Receipt } from "../schemas/receipts.ts";
import { recordIds } from "./records.ts";

export function anchorView(row: AnchorRow | null): Anchor {
  if (!row) return { status: "pending" };
  return {
    status: row.status,
    ...(row.txId ? { tx_id: row.txId } : {}),
    ...(row.nodeUrl ? { node_url: row.nodeUrl } : {}),
    ...(row.blockHeight != null ? { block_height: row.blockHeight } : {}),
    anchored_tree_size: row.treeSize,
    anchored_root: row.rootHash,
    ...(row.confirmedAt ? { confirmed_at: iso(row.confirmedAt)! } : {}),
  };
}

/** The receipt of a logged record, or null when the record is not in the log yet. */
export async function receiptFor(env: Env, row: Pick<AuditRecordRow, "id" | "leafIndex">): Promise<Receipt | null> {
  const log = env.AUDIT_LOG.getByName("main");
  const leaf = row.leafIndex === null ? await log.leafOf(row.id) : await log.leaf(row.leafIndex);
  if (!leaf) return null;
  const anchor = await anchorCovering(database(env.DB), leaf.index);
  const anchoredCheckpoint = anchor?.status === "confirmed" ? await log.checkpointAt(anchor.treeSize) : null;
  const checkpoint = anchoredCheckpoint ?? (await log.latestCheckpoint());
  if (!checkpoint || checkpoint.tree_size <= leaf.index) return null;
  return {
    version: RECEIPT_VERSION,
    leaf: { record_id: leaf.record_id, kind: leaf.kind, data: leaf.data, leaf_hash: leaf.leaf_hash, index: leaf.index },
    inclusion_proof: await log.inclusion(leaf.index, checkpoint.tree_size),
    checkpoint,
    anchor: anchorView(anchor),
  };
}

/** The record of the first document stored with `documentHash` (knowing the hash is the credential). */
export async function recordOfDocumentHash(db: Database, documentHash: string) {
  const doc = await firstDocumentWithHash(db, documentHash);
  return doc ? auditRecord(db, recordIds.document(doc.id)) : undefined;
}
