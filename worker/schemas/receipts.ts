// Audit receipts and checkpoints (API.md "Blockchain and audit"): one definition for the
// worker, its OpenAPI document and the browser that verifies receipts. Plain zod, so the
// dashboard can import it.
import { z } from "zod";
import { RECEIPT_VERSION } from "../../merkle/receipt.js";

export { RECEIPT_VERSION };

export const Checkpoint = z.object({
  origin: z.string(),
  tree_size: z.number().int(),
  root_hash: z.string(),
  timestamp: z.string(),
  /** C2SP tlog-checkpoint text: origin, tree size, base64 root, each ending in "\n". */
  body: z.string(),
  /** Base64 Ed25519 signature of `body`. */
  signature: z.string(),
  key_id: z.string(),
});
export type Checkpoint = z.infer<typeof Checkpoint>;

export const Anchor = z.object({
  status: z.enum(["pending", "confirmed", "failed"]),
  tx_id: z.string().optional(),
  node_url: z.string().optional(),
  block_height: z.number().optional(),
  anchored_tree_size: z.number().optional(),
  anchored_root: z.string().optional(),
  confirmed_at: z.string().optional(),
});
export type Anchor = z.infer<typeof Anchor>;

export const Receipt = z.object({
  version: z.literal(RECEIPT_VERSION),
  leaf: z.object({
    record_id: z.string(),
    kind: z.string(),
    /** Base64 of the exact leaf input. */
    data: z.string(),
    /** SHA-256(0x00 || data), hex. */
    leaf_hash: z.string(),
    index: z.number().int(),
  }),
  inclusion_proof: z.array(z.string()),
  checkpoint: Checkpoint,
  anchor: Anchor,
});
export type Receipt = z.infer<typeof Receipt>;

export const AuditPublicKey = z.object({ algorithm: z.literal("Ed25519"), public_key: z.string(), key_id: z.string(), origin: z.string() });
export type AuditPublicKey = z.infer<typeof AuditPublicKey>;
