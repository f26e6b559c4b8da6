// The answers of the Thronos nodes (THRONOS.md), one schema per shape. Node answers are
// untrusted input: anything that does not match is treated as an invalid response, never
// trusted half-way.
import { z } from "zod";

/** The real node writes unix seconds; accept a string too rather than reject a valid anchor. */
const NodeTimestamp = z.union([z.number(), z.string()]);
const TxId = z.string().min(1).max(200);
const Height = z.number().int().min(0);

/** 201 from `POST /api/chain/hash/submit`: a new record. */
export const SubmitCreated = z.object({
  ok: z.literal(true),
  tx_id: TxId,
  hash: z.string(),
  block_height: Height,
  timestamp: NodeTimestamp,
});

/** 200 from `POST /api/chain/hash/submit`: the hash was already there (no hash, no height). */
export const SubmitDuplicate = z.object({
  ok: z.literal(true),
  exists: z.literal(true),
  tx_id: TxId,
  timestamp: NodeTimestamp,
});

/** 403 from a replica asked to write: where the master is. */
export const ReadOnlyNode = z.object({
  ok: z.literal(false),
  error: z.literal("read_only_node"),
  primary: z.url({ protocol: /^https?$/ }),
  node_role: z.string(),
});

/** 200 from any `/api/*` GET on a replica with an empty chain: treat the replica as unavailable. */
export const Syncing = z.object({ status: z.literal("syncing"), progress: z.number() });

/** 200 from `/api/chain/hash/verify` for a known hash. */
export const VerifyFound = z.object({
  ok: z.literal(true),
  verified: z.literal(true),
  tx_id: TxId,
  block_height: Height,
  timestamp: NodeTimestamp,
  hash_type: z.string(),
  wallet: z.string().nullable().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

/** 200 from `/api/chain/hash/verify` for an unknown hash. */
export const VerifyMissing = z.object({ ok: z.literal(true), verified: z.literal(false) });

/** 200 from `GET /api/tx/status` (unknown ids are a 404). */
export const TxStatusFound = z.object({
  ok: z.literal(true),
  tx_id: TxId,
  status: z.string(),
  block: Height,
  timestamp: NodeTimestamp,
});

/** 200 from `GET /health` on any node. */
export const NodeHealth = z.object({
  ok: z.boolean(),
  role: z.string(),
  chain_height: Height,
  last_hash: z.string().nullable(),
  version: z.string(),
});

/** 200 from the ai_core node's `POST /v1/fraud/document` (no `ok` field). */
export const AiFraudAnswer = z.object({
  fraud_score: z.number().min(0).max(100),
  risk_level: z.string(),
  explanation: z.string(),
  flags: z.array(z.string().max(100)).max(50),
});
