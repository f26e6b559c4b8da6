// @ts-check
// RFC 6962 §2.1 / RFC 9162 §2.1.1 hashing: SHA-256 with domain-separation prefixes, so that a
// leaf can never be passed off as an interior node (second-preimage resistance).
import { sha256 } from "@noble/hashes/sha2.js";

/** Size in bytes of every leaf, node and root hash. */
export const HASH_SIZE = 32;

/**
 * Leaf hash: SHA-256(0x00 || data).
 * @param {Uint8Array} data
 * @returns {Uint8Array}
 */
export function leafHash(data) {
  const input = new Uint8Array(1 + data.length);
  input.set(data, 1);
  return sha256(input);
}

/**
 * Interior node hash: SHA-256(0x01 || left || right).
 * @param {Uint8Array} left
 * @param {Uint8Array} right
 * @returns {Uint8Array}
 */
export function nodeHash(left, right) {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = 1;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256(input);
}

/**
 * Root of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1).
 * @returns {Uint8Array}
 */
export function emptyRoot() {
  return sha256(new Uint8Array(0));
}
