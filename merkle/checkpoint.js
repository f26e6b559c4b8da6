// @ts-check
// C2SP tlog-checkpoint note text: the part of a checkpoint that the log signs.
import { isCount } from "./bits.js";
import { parseBase64, toBase64, toHex } from "./encoding.js";
import { HASH_SIZE } from "./hash.js";

/** @typedef {{ origin: string, treeSize: number, rootHash: string }} CheckpointHead */

const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

/**
 * The checkpoint body to sign: `origin\n<decimal size>\n<base64 root>\n`, with no extension lines.
 * @param {string} origin
 * @param {number} treeSize
 * @param {Uint8Array} rootBytes
 * @returns {string}
 */
export function checkpointBody(origin, treeSize, rootBytes) {
  if (origin === "" || origin.includes("\n")) throw new TypeError("origin must be one non-empty line");
  if (!isCount(treeSize)) throw new RangeError(`treeSize must be a non-negative safe integer, got ${treeSize}`);
  if (rootBytes.length !== HASH_SIZE) throw new RangeError(`root hash must be ${HASH_SIZE} bytes`);
  return `${origin}\n${treeSize}\n${toBase64(rootBytes)}\n`;
}

/**
 * Origin, tree size and root (lowercase hex) of a checkpoint body, or null when the text is not
 * one. Extension lines, which the spec allows after the root, are accepted and ignored.
 * @param {unknown} body
 * @returns {CheckpointHead | null}
 */
export function parseCheckpointBody(body) {
  if (typeof body !== "string" || !body.endsWith("\n")) return null;
  const lines = body.slice(0, -1).split("\n");
  if (lines.some((line) => line === "")) return null;
  const [origin, size, root] = lines;
  if (origin === undefined || size === undefined || root === undefined || !DECIMAL.test(size)) return null;
  const treeSize = Number(size);
  const rootBytes = parseBase64(root);
  if (!Number.isSafeInteger(treeSize) || rootBytes === null || rootBytes.length !== HASH_SIZE) return null;
  return { origin, treeSize, rootHash: toHex(rootBytes) };
}
