// Receipts (API.md): a leaf, its inclusion proof, a signed checkpoint and the anchor. Where a
// confirmed anchor covers the leaf, the proof is made against exactly that anchored
// checkpoint, so leaf, proof, signature and chain transaction all name the same root and the
// receipt verifies offline without any further request.
import { iso } from "../ids.ts";
import { RECEIPT_VERSION, type Anchor, type Receipt } from "../schemas/receipts.ts";

export type AuditRecordRow = {
  id: string;
  tenant_id: string;
  kind: string;
  subject_id: string;
  owner_id: string | null;
  data: string;
  leaf_hash: string;
  leaf_index: number | null;
};

type AnchorRow = {
  id: string;
  tree_size: number;
  root_hash: string;
  status: "pending" | "confirmed" | "failed";
  tx_id: string | null;
  node_url: string | null;
  block_height: number | null;
  confirmed_at: number | null;
};

export function anchorView(row: AnchorRow | null): Anchor {
  if (!row) return { status: "pending" };
  return {
    status: row.status,
    ...(row.tx_id ? { tx_id: row.tx_id } : {}),
    ...(row.node_url ? { node_url: row.node_url } : {}),
    ...(row.block_height != null ? { block_height: row.block_height } : {}),
    anchored_tree_size: row.tree_size,
    anchored_root: row.root_hash,
    ...(row.confirmed_at ? { confirmed_at: iso(row.confirmed_at)! } : {}),
  };
}

/** The anchor that covers leaf `index`: the smallest confirmed one, else the newest attempt. */
export async function anchorCovering(db: D1Database, index: number): Promise<AnchorRow | null> {
  const confirmed = await db
    .prepare("SELECT * FROM blockchain_transactions WHERE status = 'confirmed' AND tree_size > ? ORDER BY tree_size ASC LIMIT 1")
    .bind(index)
    .first<AnchorRow>();
  if (confirmed) return confirmed;
  return db
    .prepare("SELECT * FROM blockchain_transactions WHERE tree_size > ? ORDER BY tree_size DESC LIMIT 1")
    .bind(index)
    .first<AnchorRow>();
}

/** The receipt of a logged record, or null when the record is not in the log yet. */
export async function receiptFor(env: Env, row: AuditRecordRow): Promise<Receipt | null> {
  const log = env.AUDIT_LOG.getByName("main");
  const leaf = row.leaf_index === null ? await log.leafOf(row.id) : await log.leaf(row.leaf_index);
  if (!leaf) return null;
  const anchor = await anchorCovering(env.DB, leaf.index);
  const anchoredCheckpoint = anchor?.status === "confirmed" ? await log.checkpointAt(anchor.tree_size) : null;
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
