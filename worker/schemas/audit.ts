import { z } from "@hono/zod-openapi";
import { Anchor, AuditPublicKey, Checkpoint, Receipt } from "./receipts.ts";

const Hex64 = z.string().regex(/^[0-9a-fA-F]{64}$/, "must be 64 hexadecimal characters (a SHA-256 digest)");

export const CheckpointSchema = Checkpoint.openapi("Checkpoint");
export const AnchorSchema = Anchor.openapi("Anchor");
export const ReceiptSchema = Receipt.openapi("Receipt");

export const Queued = z.object({ status: z.literal("queued"), record_id: z.string() }).openapi("QueuedRecord");

export const ReceiptQuery = z.object({ document_hash: Hex64 });
export const RecordIdParam = z.object({
  record_id: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: "record_id", in: "path" } }),
});

const size = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a tree size` })
    .int(`${name} must be a whole number`)
    .min(1, `${name} must be at least 1`);
export const ConsistencyQuery = z
  .object({ from: size("from"), to: size("to") })
  .refine((q) => q.from <= q.to, { message: "from must not exceed to", path: ["from"] });
export const ConsistencyResponse = z
  .object({ from: z.number().int(), to: z.number().int(), proof: z.array(z.string()) })
  .openapi("ConsistencyProof");

export const PublicKey = AuditPublicKey.openapi("AuditPublicKey");
