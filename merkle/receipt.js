// @ts-check
// Offline verification of a receipt (API.md, "Blockchain and audit"): the leaf data hashes to
// the leaf hash, the leaf is in the checkpointed tree, and the log signed that checkpoint.
// The anchor on the Thronos chain is not checked here: that needs the network.
import { parseCheckpointBody } from "./checkpoint.js";
import { parseBase64, toHex } from "./encoding.js";
import { leafHash } from "./hash.js";
import { verifyInclusion } from "./verify.js";

/** The only receipt format this code understands. */
export const RECEIPT_VERSION = "verifyid-receipt/v1";

/**
 * @typedef {object} ReceiptChecks
 * @property {boolean} leaf_hash leaf.leaf_hash is SHA-256(0x00 || leaf.data)
 * @property {boolean} inclusion the inclusion proof puts that leaf at leaf.index under checkpoint.root_hash and tree_size
 * @property {boolean} checkpoint_body checkpoint.body states the same origin, tree size and root
 * @property {boolean} signature checkpoint.signature is the key's Ed25519 signature of checkpoint.body
 */

/** @typedef {{ ok: boolean, checks: ReceiptChecks, errors: string[] }} ReceiptVerification */

/**
 * Checks everything in a receipt that needs no network, against the log's Ed25519 public key
 * (base64 of the raw 32 bytes). Never throws: a malformed receipt fails the checks it breaks.
 * @param {unknown} receipt
 * @param {string} publicKeyBase64
 * @returns {Promise<ReceiptVerification>}
 */
export async function verifyReceipt(receipt, publicKeyBase64) {
  const fields = record(receipt);
  const leaf = record(fields.leaf);
  const checkpoint = record(fields.checkpoint);
  /** @type {string[]} */
  const errors = [];
  if (fields.version !== RECEIPT_VERSION) errors.push(`version is not ${RECEIPT_VERSION}`);

  const data = parseBase64(leaf.data);
  const computedLeafHash = data === null ? null : toHex(leafHash(data));
  const leafHashMatches = computedLeafHash !== null && lowercase(leaf.leaf_hash) === computedLeafHash;
  if (data === null) errors.push("leaf.data is not base64");
  else if (!leafHashMatches) errors.push("leaf.leaf_hash is not SHA-256(0x00 || leaf.data)");

  const proof = strings(fields.inclusion_proof);
  const included =
    computedLeafHash !== null &&
    proof !== null &&
    verifyInclusion(computedLeafHash, number(leaf.index), number(checkpoint.tree_size), proof, text(checkpoint.root_hash));
  if (!included) errors.push("inclusion_proof does not lead from leaf.data at leaf.index to checkpoint.root_hash at checkpoint.tree_size");

  const head = parseCheckpointBody(checkpoint.body);
  const bodyMatches =
    head !== null &&
    head.origin === checkpoint.origin &&
    head.treeSize === checkpoint.tree_size &&
    head.rootHash === lowercase(checkpoint.root_hash);
  if (head === null) errors.push("checkpoint.body is not a checkpoint note");
  else if (!bodyMatches) errors.push("checkpoint.body does not state checkpoint.origin, tree_size and root_hash");

  const signed = await verifyEd25519(publicKeyBase64, checkpoint.signature, checkpoint.body);
  if (!signed) errors.push("checkpoint.signature is not a valid Ed25519 signature of checkpoint.body by this public key");

  const checks = { leaf_hash: leafHashMatches, inclusion: included, checkpoint_body: bodyMatches, signature: signed };
  return { ok: errors.length === 0, checks, errors };
}

/**
 * @param {unknown} publicKeyBase64
 * @param {unknown} signatureBase64
 * @param {unknown} body
 * @returns {Promise<boolean>}
 */
async function verifyEd25519(publicKeyBase64, signatureBase64, body) {
  const publicKey = parseBase64(publicKeyBase64);
  const signature = parseBase64(signatureBase64);
  if (publicKey === null || publicKey.length !== 32 || signature === null || signature.length !== 64 || typeof body !== "string") {
    return false;
  }
  try {
    const key = await crypto.subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
    return await crypto.subtle.verify({ name: "Ed25519" }, key, signature, new TextEncoder().encode(body));
  } catch {
    // WebCrypto rejects keys that are not points on the curve; that is a failed check, not a crash.
    return false;
  }
}

/**
 * @param {unknown} value
 * @returns {Record<string, unknown>}
 */
function record(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? /** @type {Record<string, unknown>} */ (value) : {};
}

/**
 * @param {unknown} value
 * @returns {number}
 */
function number(value) {
  return typeof value === "number" ? value : Number.NaN;
}

/**
 * @param {unknown} value
 * @returns {string}
 */
function text(value) {
  return typeof value === "string" ? value : "";
}

/**
 * @param {unknown} value
 * @returns {string | null}
 */
function lowercase(value) {
  return typeof value === "string" ? value.toLowerCase() : null;
}

/**
 * @param {unknown} value
 * @returns {string[] | null}
 */
function strings(value) {
  return Array.isArray(value) && value.every((item) => typeof item === "string") ? value : null;
}
