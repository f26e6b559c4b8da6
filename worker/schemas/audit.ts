import { z } from "@hono/zod-openapi";

const Hex64 = z.string().regex(/^[0-9a-fA-F]{64}$/, "must be 64 hexadecimal characters (a SHA-256 digest)");

export const CheckpointSchema = z
  .object({
    origin: z.string(),
    tree_size: z.number().int(),
    root_hash: z.string(),
    timestamp: z.string(),
    body: z.string().openapi({ description: "C2SP tlog-checkpoint text: origin, tree size, base64 root, each ending in \\n" }),
    signature: z.string().openapi({ description: "Base64 Ed25519 signature of body" }),
    key_id: z.string(),
  })
  .openapi("Checkpoint");

export const AnchorSchema = z
  .object({
    status: z.enum(["pending", "confirmed", "failed"]),
    tx_id: z.string().optional(),
    node_url: z.string().optional(),
    block_height: z.number().optional(),
    anchored_tree_size: z.number().optional(),
    anchored_root: z.string().optional(),
    confirmed_at: z.string().optional(),
  })
  .openapi("Anchor");

export const ReceiptSchema = z
  .object({
    version: z.literal("verifyid-receipt/v1"),
    leaf: z.object({
      record_id: z.string(),
      kind: z.string(),
      data: z.string().openapi({ description: "Base64 of the exact leaf input" }),
      leaf_hash: z.string().openapi({ description: "SHA-256(0x00 || data), hex" }),
      index: z.number().int(),
    }),
    inclusion_proof: z.array(z.string()),
    checkpoint: CheckpointSchema,
    anchor: AnchorSchema,
  })
  .openapi("Receipt");

export const Queued = z.object({ status: z.literal("queued"), record_id: z.string() }).openapi("QueuedRecord");

export const ReceiptQuery = z.object({ document_hash: Hex64 });
export const RecordIdParam = z.object({ record_id: z.string().min(1).max(200).openapi({ param: { name: "record_id", in: "path" } }) });

const size = (name: string) =>
  z.coerce.number({ error: `${name} must be a tree size` }).int(`${name} must be a whole number`).min(1, `${name} must be at least 1`);
export const ConsistencyQuery = z
  .object({ from: size("from"), to: size("to") })
  .refine((q) => q.from <= q.to, { message: "from must not exceed to", path: ["from"] });
export const ConsistencyResponse = z
  .object({ from: z.number().int(), to: z.number().int(), proof: z.array(z.string()) })
  .openapi("ConsistencyProof");

export const PublicKey = z
  .object({ algorithm: z.literal("Ed25519"), public_key: z.string(), key_id: z.string(), origin: z.string() })
  .openapi("AuditPublicKey");
