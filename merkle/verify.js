// @ts-check
// Proof verification for auditors (RFC 9162 §2.1.3.2 and §2.1.4.2). Inputs come from whoever
// hands over a receipt, so every malformed input is a rejected proof, never an exception.
//
// Both verifiers split the proof where the path to the proven leaf and the path to the tree's
// last leaf diverge: below that point ("inner") the path turns left or right by the index
// bits; above it ("border") every sibling is a left sibling. This is the same computation as
// the RFC's bit-by-bit loop, arranged so that the exact proof length is known up front.
import { bitAt, differingBitLength, isCount, onesCount, shiftRight, trailingZeros } from "./bits.js";
import { equalBytes, parseHex } from "./encoding.js";
import { HASH_SIZE, nodeHash } from "./hash.js";

/**
 * Whether `proof` proves that the leaf hashed to `leafHash` sits at `index` in the tree of
 * `treeSize` leaves with root `root` (hex in either case; hashes must be 32 bytes).
 * @param {string} leafHash
 * @param {number} index
 * @param {number} treeSize
 * @param {readonly string[]} proof
 * @param {string} root
 * @returns {boolean}
 */
export function verifyInclusion(leafHash, index, treeSize, proof, root) {
  const leaf = parseHash(leafHash);
  const expected = parseHash(root);
  const path = parseHashes(proof);
  if (!leaf || !expected || !path || !isCount(index) || !isCount(treeSize) || index >= treeSize) return false;
  const inner = differingBitLength(index, treeSize - 1);
  if (path.length !== inner + onesCount(shiftRight(index, inner))) return false;
  let hash = leaf;
  for (const [level, sibling] of path.entries()) {
    hash = level < inner && bitAt(index, level) === 0 ? nodeHash(hash, sibling) : nodeHash(sibling, hash);
  }
  return equalBytes(hash, expected);
}

/**
 * Whether `proof` proves that the tree of `size1` leaves with root `root1` is a prefix of the
 * tree of `size2` leaves with root `root2`. As in the reference test vectors: nothing is
 * consistent with the empty tree (size1 = 0), and equal sizes need an empty proof and
 * identical roots.
 * @param {number} size1
 * @param {number} size2
 * @param {string} root1
 * @param {string} root2
 * @param {readonly string[]} proof
 * @returns {boolean}
 */
export function verifyConsistency(size1, size2, root1, root2, proof) {
  if (!isCount(size1) || !isCount(size2) || size1 === 0 || size1 > size2 || !Array.isArray(proof)) return false;
  if (size1 === size2) {
    const first = parseHex(root1);
    const second = parseHex(root2);
    return proof.length === 0 && first !== null && second !== null && equalBytes(first, second);
  }
  const first = parseHash(root1);
  const second = parseHash(root2);
  const path = parseHashes(proof);
  if (!first || !second || !path) return false;
  // The proof starts at the largest perfect subtree that ends at size1: node (shift, subtree).
  // Its hash is proof[0], unless size1 is a power of two, when that subtree is the whole old tree.
  const shift = trailingZeros(size1);
  const subtree = shiftRight(size1 - 1, shift);
  const inner = differingBitLength(size1 - 1, size2 - 1) - shift;
  const border = onesCount(shiftRight(subtree, inner));
  const seeded = subtree !== 0;
  if (path.length !== (seeded ? 1 : 0) + inner + border) return false;
  const seed = seeded ? path[0] : first;
  if (!seed) return false;
  let old = seed;
  let current = seed;
  for (const [level, sibling] of path.slice(seeded ? 1 : 0).entries()) {
    if (level < inner && bitAt(subtree, level) === 0) {
      // A right sibling: leaves after size1, so only the new tree contains it.
      current = nodeHash(current, sibling);
    } else {
      old = nodeHash(sibling, old);
      current = nodeHash(sibling, current);
    }
  }
  return equalBytes(old, first) && equalBytes(current, second);
}

/**
 * @param {unknown} hex
 * @returns {Uint8Array | null}
 */
function parseHash(hex) {
  const bytes = parseHex(hex);
  return bytes !== null && bytes.length === HASH_SIZE ? bytes : null;
}

/**
 * @param {unknown} list
 * @returns {Uint8Array[] | null}
 */
function parseHashes(list) {
  if (!Array.isArray(list)) return null;
  /** @type {Uint8Array[]} */
  const hashes = [];
  for (const hex of list) {
    const hash = parseHash(hex);
    if (!hash) return null;
    hashes.push(hash);
  }
  return hashes;
}
