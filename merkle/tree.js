// @ts-check
// The log writer's side of the tree (RFC 9162 §2.1). The writer stores only perfect subtrees:
// node (level, index) is the hash of leaves [index·2^level, (index+1)·2^level). Any other
// subtree (one cut short by the right edge of the tree) is rebuilt from at most log2(n)
// perfect ones, so every function here reads O(log n) nodes however large the log grows.
import { bitLength, isCount, trailingZeros } from "./bits.js";
import { emptyRoot, HASH_SIZE, nodeHash } from "./hash.js";

/**
 * Reads the stored hash of the perfect subtree (level, index); the caller backs it with storage.
 * @typedef {(level: number, index: number) => Uint8Array} NodeAt
 */

/**
 * A perfect subtree the writer persists: leaves [index·2^level, (index+1)·2^level).
 * @typedef {{ level: number, index: number, hash: Uint8Array }} TreeNode
 */

/**
 * The nodes that appending leaf `leafIndex` completes: the leaf itself (level 0), then each
 * parent it finishes, lowest first. Persisting them keeps every perfect subtree available.
 * @param {number} leafIndex
 * @param {Uint8Array} leafHashBytes
 * @param {NodeAt} nodeAt
 * @returns {TreeNode[]}
 */
export function nodesCompletedBy(leafIndex, leafHashBytes, nodeAt) {
  requireCount(leafIndex, "leafIndex");
  if (leafHashBytes.length !== HASH_SIZE) throw new RangeError(`a leaf hash is ${HASH_SIZE} bytes, got ${leafHashBytes.length}`);
  const nodes = [{ level: 0, index: leafIndex, hash: leafHashBytes }];
  let hash = leafHashBytes;
  // A node completes its parent exactly when it is a right child (odd index).
  for (let level = 0, index = leafIndex; index % 2 === 1; level++, index = (index - 1) / 2) {
    hash = nodeHash(nodeAt(level, index - 1), hash);
    nodes.push({ level: level + 1, index: (index - 1) / 2, hash });
  }
  return nodes;
}

/**
 * Root hash (MTH) of the first `treeSize` leaves; the empty tree's root is SHA-256("").
 * @param {number} treeSize
 * @param {NodeAt} nodeAt
 * @returns {Uint8Array}
 */
export function rootAt(treeSize, nodeAt) {
  requireCount(treeSize, "treeSize");
  return treeSize === 0 ? emptyRoot() : rangeHash(0, treeSize, nodeAt);
}

/**
 * Audit path for leaf `index` in the tree of `treeSize` leaves, leaf to root (RFC 9162 §2.1.3.1).
 * @param {number} index
 * @param {number} treeSize
 * @param {NodeAt} nodeAt
 * @returns {Uint8Array[]}
 */
export function inclusionProof(index, treeSize, nodeAt) {
  requireCount(index, "index");
  requireCount(treeSize, "treeSize");
  if (index >= treeSize) throw new RangeError(`leaf ${index} is not in a tree of ${treeSize} leaves`);
  return pathToRoot(0, index, treeSize, nodeAt);
}

/**
 * Consistency proof from the tree of `size1` leaves to the tree of `size2` leaves
 * (RFC 9162 §2.1.4.1); empty when size1 is 0 or equals size2.
 * @param {number} size1
 * @param {number} size2
 * @param {NodeAt} nodeAt
 * @returns {Uint8Array[]}
 */
export function consistencyProof(size1, size2, nodeAt) {
  requireCount(size1, "size1");
  requireCount(size2, "size2");
  if (size1 > size2) throw new RangeError(`size1 ${size1} is larger than size2 ${size2}`);
  if (size1 === 0 || size1 === size2) return [];
  // Start from the largest perfect subtree that ends at size1. When size1 is a power of two
  // that subtree is the old root, which the verifier already holds, so it is left out.
  const level = trailingZeros(size1);
  const index = size1 / 2 ** level - 1;
  const path = pathToRoot(level, index, size2, nodeAt);
  return index === 0 ? path : [nodeAt(level, index), ...path];
}

/**
 * Siblings on the way from perfect node (level, index) up to the root of the tree of
 * `treeSize` leaves, lowest first. A node with no right sibling inside the tree is carried up
 * unchanged (RFC 6962 trees are not padded), and at most one right sibling is cut short by
 * the tree's edge, so this reads O(log n) nodes.
 * @param {number} startLevel
 * @param {number} startIndex
 * @param {number} treeSize
 * @param {NodeAt} nodeAt
 * @returns {Uint8Array[]}
 */
function pathToRoot(startLevel, startIndex, treeSize, nodeAt) {
  /** @type {Uint8Array[]} */
  const path = [];
  for (let level = startLevel, index = startIndex; index > 0 || 2 ** level < treeSize; level++, index = Math.floor(index / 2)) {
    const width = 2 ** level;
    if (index % 2 === 1) {
      path.push(nodeAt(level, index - 1));
    } else if ((index + 1) * width < treeSize) {
      const start = (index + 1) * width;
      path.push(rangeHash(start, Math.min(start + width, treeSize), nodeAt));
    }
  }
  return path;
}

/**
 * MTH of leaves [start, end), where `start` is a multiple of the largest power of two not
 * above end − start (true of every subtree of an RFC 6962 tree). Those leaves split into
 * perfect subtrees of decreasing size, and the MTH is their right-to-left fold.
 * @param {number} start
 * @param {number} end
 * @param {NodeAt} nodeAt
 * @returns {Uint8Array}
 */
function rangeHash(start, end, nodeAt) {
  /** @type {Uint8Array[]} */
  const pieces = [];
  for (let level = bitLength(end - start) - 1, position = start; position < end; level--) {
    const width = 2 ** level;
    if (position + width <= end) {
      pieces.push(nodeAt(level, position / width));
      position += width;
    }
  }
  return pieces.reduceRight((right, left) => nodeHash(left, right));
}

/**
 * @param {unknown} value
 * @param {string} name
 * @returns {asserts value is number}
 */
function requireCount(value, name) {
  if (!isCount(value)) throw new RangeError(`${name} must be a non-negative safe integer, got ${String(value)}`);
}
