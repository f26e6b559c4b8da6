// The local node's chain: submitted hashes in order, as THRONOS.md describes the real node's chain
// file. Pure apart from the clock and the random tx_id suffix, which are injectable so tests can
// pin them. Answers are plain `{status, body}` values; server.ts only puts them on the wire.
import { randomBytes } from "node:crypto";

export type ChainRecord = {
  tx_id: string;
  hash: string;
  hash_type: string;
  wallet: string | null;
  metadata: Record<string, unknown>;
  /** The record's position in the chain (0-based), not a mined block. */
  block_height: number;
  /** Unix seconds. */
  timestamp: number;
};

export type NodeAnswer = { status: number; body: Record<string, unknown> };

export type ChainOptions = {
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** Eight hex characters for the end of a tx_id. */
  suffix?: () => string;
};

export type Chain = {
  readonly records: readonly ChainRecord[];
  byHash(hash: string): ChainRecord | undefined;
  byTxId(txId: string): ChainRecord | undefined;
  append(entry: Pick<ChainRecord, "hash" | "hash_type" | "wallet" | "metadata">): ChainRecord;
  clear(): void;
};

const HASH_LENGTH = 64;
const DEFAULT_HASH_TYPE = "generic";

/** An empty chain; the master and the replica share one so replica reads see master writes. */
export function createChain(options: ChainOptions = {}): Chain {
  const now = options.now ?? Date.now;
  const suffix = options.suffix ?? (() => randomBytes(4).toString("hex"));
  const records: ChainRecord[] = [];
  const hashes = new Map<string, ChainRecord>();
  const txIds = new Map<string, ChainRecord>();
  return {
    records,
    byHash: (hash) => hashes.get(hash),
    byTxId: (txId) => txIds.get(txId),
    append(entry) {
      const timestamp = Math.floor(now() / 1000);
      const type = entry.hash_type.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
      const record: ChainRecord = { ...entry, tx_id: `VERIFY-${type}-${timestamp}-${suffix()}`, block_height: records.length, timestamp };
      records.push(record);
      hashes.set(record.hash, record);
      txIds.set(record.tx_id, record);
      return record;
    },
    clear() {
      records.length = 0;
      hashes.clear();
      txIds.clear();
    },
  };
}

const isMissing = (value: unknown) => value === undefined || value === null || value === "";

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * `POST /api/chain/hash/submit` on a writable node. Mirrors the real node's quirks on purpose:
 * only the length is checked, comparison is case-sensitive, a non-string hash is a 500.
 */
export function submitAnswer(chain: Chain, body: unknown): NodeAnswer {
  const fields = isObject(body) ? body : {};
  const hash = fields.hash;
  if (isMissing(hash)) return { status: 400, body: { ok: false, error: "hash required" } };
  if (typeof hash !== "string") return { status: 500, body: { ok: false, error: "server_error" } };
  if (hash.length !== HASH_LENGTH) {
    return { status: 400, body: { ok: false, error: `Invalid hash format (expected ${HASH_LENGTH} hex characters)` } };
  }
  const existing = chain.byHash(hash);
  if (existing) {
    return {
      status: 200,
      body: {
        ok: true,
        exists: true,
        tx_id: existing.tx_id,
        timestamp: existing.timestamp,
        message: "Hash already registered on blockchain",
      },
    };
  }
  const record = chain.append({
    hash,
    hash_type: typeof fields.hash_type === "string" && fields.hash_type ? fields.hash_type : DEFAULT_HASH_TYPE,
    wallet: typeof fields.wallet === "string" ? fields.wallet : null,
    metadata: isObject(fields.metadata) ? fields.metadata : {},
  });
  return {
    status: 201,
    body: {
      ok: true,
      tx_id: record.tx_id,
      hash: record.hash,
      block_height: record.block_height,
      timestamp: record.timestamp,
      message: "Hash submitted to blockchain",
    },
  };
}

/** `GET|POST /api/chain/hash/verify`: whether a hash is on the chain, and its record. */
export function verifyAnswer(chain: Chain, hash: unknown): NodeAnswer {
  if (isMissing(hash)) return { status: 400, body: { ok: false, error: "hash required" } };
  const record = typeof hash === "string" ? chain.byHash(hash) : undefined;
  if (!record) return { status: 200, body: { ok: true, verified: false, message: "Hash not found on blockchain" } };
  const { tx_id, block_height, timestamp, hash_type, wallet, metadata } = record;
  return { status: 200, body: { ok: true, verified: true, tx_id, block_height, timestamp, hash_type, wallet, metadata } };
}

/** `GET /api/tx/status?tx_id=`: the reliable status route (404 for an unknown id). */
export function txStatusAnswer(chain: Chain, txId: string | null): NodeAnswer {
  if (!txId) return { status: 400, body: { ok: false, error: "tx_id required" } };
  const record = chain.byTxId(txId);
  if (!record) return { status: 404, body: { ok: false, tx_id: txId, status: "not_found", error: "Transaction not found" } };
  return {
    status: 200,
    body: { ok: true, tx_id: txId, status: "confirmed", found_in: "chain", block: record.block_height, timestamp: record.timestamp },
  };
}

/** `GET /api/tx_status/<id>`: the legacy route that answers an unknown id with 200 "rejected". */
export function legacyTxStatusAnswer(chain: Chain, txId: string): NodeAnswer {
  const record = chain.byTxId(txId);
  if (!record) return { status: 200, body: { ok: true, tx_id: txId, status: "rejected", reason: "not_found" } };
  return { status: 200, body: { ok: true, tx_id: txId, status: "confirmed", block: record.block_height, timestamp: record.timestamp } };
}
