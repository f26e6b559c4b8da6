// The Thronos chain as our code needs it (THRONOS.md): anchor a hash on the master, check a hash
// or a transaction preferring the replica. Every function returns a value, never throws for a
// node failure, and says whether a failure is worth retrying later (through the Queue).
import { callNode } from "./http.ts";
import type { NodeCall, NodeFailure, NodeResult, NodeSuccess } from "./http.ts";
import type { ThronosConfig } from "./config.ts";
import { ReadOnlyNode, SubmitCreated, SubmitDuplicate, Syncing, TxStatusFound, VerifyFound, VerifyMissing } from "./schemas.ts";

export type ChainFailure = {
  ok: false;
  /** "syncing": the node answered with the syncing shape; "invalid_response": a 2xx we cannot read. */
  kind: NodeFailure["kind"] | "syncing" | "invalid_response";
  status?: number;
  retryable: boolean;
  message: string;
  nodeUrl: string;
};

export type Anchored = {
  ok: true;
  txId: string;
  /** Absent when the hash was already anchored: the node's duplicate answer omits it. */
  blockHeight?: number;
  /** True when the node already had the hash; the original tx_id is returned. */
  duplicate: boolean;
  timestamp: number | string;
  nodeUrl: string;
};

export type HashVerification =
  | { ok: true; verified: true; txId: string; blockHeight: number; timestamp: number | string; hashType: string; nodeUrl: string }
  | { ok: true; verified: false; nodeUrl: string };

export type TxStatus =
  | { ok: true; found: true; txId: string; status: string; blockHeight: number; timestamp: number | string; nodeUrl: string }
  | { ok: true; found: false; nodeUrl: string };

export type AnchorRequest = { hash: string; hashType: string; metadata?: Record<string, unknown>; wallet?: string };

const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** The node compares hashes case-sensitively and checks only their length: we always send lowercase hex. */
function normalizedHash(hash: string): string {
  if (!SHA256_HEX.test(hash)) throw new TypeError("a Thronos hash must be 64 hexadecimal characters (a SHA-256 digest)");
  return hash.toLowerCase();
}

function failure(result: NodeFailure): ChainFailure {
  const { body: _body, ...rest } = result;
  return rest;
}

/** A 2xx we cannot read may be a proxy page or a node mid-deploy: worth another try later. */
function invalidResponse(result: NodeSuccess, what: string): ChainFailure {
  return {
    ok: false,
    kind: "invalid_response",
    status: result.status,
    retryable: true,
    message: `${what}: unexpected answer`,
    nodeUrl: result.nodeUrl,
  };
}

function syncing(result: NodeSuccess): ChainFailure | null {
  if (!Syncing.safeParse(result.body).success) return null;
  return { ok: false, kind: "syncing", status: result.status, retryable: true, message: "the node is syncing", nodeUrl: result.nodeUrl };
}

function readSubmit(result: NodeResult): Anchored | ChainFailure {
  if (!result.ok) return failure(result);
  const duplicate = SubmitDuplicate.safeParse(result.body);
  if (duplicate.success) {
    const { tx_id, timestamp } = duplicate.data;
    return { ok: true, txId: tx_id, duplicate: true, timestamp, nodeUrl: result.nodeUrl };
  }
  const created = SubmitCreated.safeParse(result.body);
  if (!created.success) return invalidResponse(result, "hash submit");
  const { tx_id, block_height, timestamp } = created.data;
  return { ok: true, txId: tx_id, blockHeight: block_height, duplicate: false, timestamp, nodeUrl: result.nodeUrl };
}

/**
 * Anchors `hash` on the master. A new record (201) and the node's duplicate answer (200, same
 * tx_id as the first time) are both success, so retrying after a lost response is safe. A 403
 * `read_only_node` is followed to its `primary` once; a 400 is permanent. Throws TypeError only
 * for a hash that is not 64 hex characters, which is a bug in the caller.
 */
export async function submitHash(config: ThronosConfig, anchor: AnchorRequest): Promise<Anchored | ChainFailure> {
  const call: NodeCall = {
    method: "POST",
    path: "/api/chain/hash/submit",
    json: {
      hash: normalizedHash(anchor.hash),
      hash_type: anchor.hashType,
      metadata: anchor.metadata ?? {},
      ...(anchor.wallet ? { wallet: anchor.wallet } : {}),
    },
    timeoutMs: config.timeoutMs,
    retries: config.retries,
  };
  const first = await callNode(config.masterUrl, call);
  const redirect = !first.ok && first.status === 403 ? ReadOnlyNode.safeParse(first.body) : null;
  return readSubmit(redirect?.success ? await callNode(redirect.data.primary, call) : first);
}

type Read<T> = T | ChainFailure;

/**
 * Reads from the replica (one attempt: the master is the retry) and falls back to the master
 * when the replica is down, errors, is syncing, or does not know the item; a replica may lag
 * behind the master, so its "not found" is not the last word.
 */
async function readPreferringReplica<T extends { ok: true }>(
  config: ThronosConfig,
  call: Omit<NodeCall, "timeoutMs" | "retries">,
  read: (result: NodeResult) => Read<T>,
  isNegative: (answer: T) => boolean,
): Promise<Read<T>> {
  if (config.replicaUrl !== config.masterUrl) {
    const answer = read(await callNode(config.replicaUrl, { ...call, timeoutMs: config.timeoutMs, retries: 0 }));
    if (answer.ok && !isNegative(answer)) return answer;
  }
  return read(await callNode(config.masterUrl, { ...call, timeoutMs: config.timeoutMs, retries: config.retries }));
}

function readVerify(result: NodeResult): Read<HashVerification> {
  if (!result.ok) return failure(result);
  const found = VerifyFound.safeParse(result.body);
  if (found.success) {
    const { tx_id, block_height, timestamp, hash_type } = found.data;
    return { ok: true, verified: true, txId: tx_id, blockHeight: block_height, timestamp, hashType: hash_type, nodeUrl: result.nodeUrl };
  }
  if (VerifyMissing.safeParse(result.body).success) return { ok: true, verified: false, nodeUrl: result.nodeUrl };
  return syncing(result) ?? invalidResponse(result, "hash verify");
}

/** Whether `hash` is on the chain and in which transaction; the replica is asked first. */
export async function verifyHash(config: ThronosConfig, hash: string): Promise<Read<HashVerification>> {
  const call = { path: "/api/chain/hash/verify", query: { hash: normalizedHash(hash) } };
  return readPreferringReplica(config, call, readVerify, (answer) => !answer.verified);
}

function readTxStatus(result: NodeResult): Read<TxStatus> {
  if (!result.ok) return result.status === 404 ? { ok: true, found: false, nodeUrl: result.nodeUrl } : failure(result);
  const found = TxStatusFound.safeParse(result.body);
  if (!found.success) return syncing(result) ?? invalidResponse(result, "tx status");
  const { tx_id, status, block, timestamp } = found.data;
  return { ok: true, found: true, txId: tx_id, status, blockHeight: block, timestamp, nodeUrl: result.nodeUrl };
}

/** The status of a transaction through `/api/tx/status` (404 means unknown), replica first. */
export async function txStatus(config: ThronosConfig, txId: string): Promise<Read<TxStatus>> {
  return readPreferringReplica(config, { path: "/api/tx/status", query: { tx_id: txId } }, readTxStatus, (answer) => !answer.found);
}
