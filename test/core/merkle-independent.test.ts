import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  nodesCompletedBy,
  rootAt,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from "../../merkle/index.js";

// A second verifier, transcribed step by step from the pseudocode of RFC 9162 §2.1.3.2 and
// §2.1.4.2 (bit-by-bit loops over BigInt counters, node:crypto hashing, bytes in), against which
// the library's verifiers (proof split into inner and border parts, hex in) are cross-checked.
// The published @sigstore/verify implements only inclusion and is not a dependency here.

function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(Uint8Array.of(1)).update(left).update(right).digest());
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

const lsb = (n: bigint) => (n & 1n) === 1n;

/** The RFC's algorithms take well-formed hashes for granted (§4.1: a NodeHash here is 32 bytes). */
const wellFormed = (...hashes: Uint8Array[]) => hashes.every((hash) => hash.length === 32);

/** RFC 9162 §2.1.3.2, numbered as in the RFC. */
function rfcVerifyInclusion(
  hash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  inclusionPath: Uint8Array[],
  rootHash: Uint8Array,
): boolean {
  if (!wellFormed(hash, rootHash, ...inclusionPath)) return false;
  // 1. If leaf_index is greater than or equal to tree_size, then fail the proof verification.
  if (leafIndex >= treeSize) return false;
  // 2. Set fn to leaf_index and sn to tree_size - 1.
  let fn = BigInt(leafIndex);
  let sn = BigInt(treeSize) - 1n;
  // 3. Set r to hash.
  let r = hash;
  // 4. For each value p in the inclusion_path array:
  for (const p of inclusionPath) {
    // a. If sn is 0, then stop the iteration and fail the proof verification.
    if (sn === 0n) return false;
    // b. If LSB(fn) is set, or if fn is equal to sn, then:
    if (lsb(fn) || fn === sn) {
      // i. Set r to HASH(0x01 || p || r).
      r = hashChildren(p, r);
      // ii. If LSB(fn) is not set, then right-shift both fn and sn equally until either LSB(fn) is set or fn is 0.
      while (!lsb(fn) && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      // Otherwise: i. Set r to HASH(0x01 || r || p).
      r = hashChildren(r, p);
    }
    // c. Finally, right-shift both fn and sn one time.
    fn >>= 1n;
    sn >>= 1n;
  }
  // 5. If sn is equal to 0 and r and the root_hash are equal, then the log has proven the inclusion of hash.
  return sn === 0n && equal(r, rootHash);
}

/** RFC 9162 §2.1.4.2 for 0 < first < second; equal sizes need an empty proof and equal roots (§2.1.4.1: PROOF is empty). */
function rfcVerifyConsistency(
  first: number,
  second: number,
  firstHash: Uint8Array,
  secondHash: Uint8Array,
  consistencyPath: Uint8Array[],
): boolean {
  if (first <= 0 || first > second) return false;
  if (first === second) return consistencyPath.length === 0 && equal(firstHash, secondHash);
  if (!wellFormed(firstHash, secondHash, ...consistencyPath)) return false;
  // 1. If consistency_path is an empty array, stop and fail the proof verification.
  if (consistencyPath.length === 0) return false;
  // 2. If first is an exact power of 2, then prepend first_hash to the consistency_path array.
  const path = (BigInt(first) & (BigInt(first) - 1n)) === 0n ? [firstHash, ...consistencyPath] : consistencyPath;
  // 3. Set fn to first - 1 and sn to second - 1.
  let fn = BigInt(first) - 1n;
  let sn = BigInt(second) - 1n;
  // 4. If LSB(fn) is set, then right-shift both fn and sn equally until LSB(fn) is not set.
  while (lsb(fn)) {
    fn >>= 1n;
    sn >>= 1n;
  }
  // 5. Set both fr and sr to the first value in the consistency_path array.
  let fr = path[0]!;
  let sr = path[0]!;
  // 6. For each subsequent value c in the consistency_path array:
  for (const c of path.slice(1)) {
    // a. If sn is 0, then stop the iteration and fail the proof verification.
    if (sn === 0n) return false;
    // b. If LSB(fn) is set, or if fn is equal to sn, then:
    if (lsb(fn) || fn === sn) {
      // i. Set fr to HASH(0x01 || c || fr). ii. Set sr to HASH(0x01 || c || sr).
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      // iii. If LSB(fn) is not set, then right-shift both fn and sn equally until either LSB(fn) is set or fn is 0.
      while (!lsb(fn) && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      // Otherwise: i. Set sr to HASH(0x01 || sr || c).
      sr = hashChildren(sr, c);
    }
    // c. Finally, right-shift both fn and sn one time.
    fn >>= 1n;
    sn >>= 1n;
  }
  // 7. Verify that fr equals first_hash, that sr equals second_hash, and that sn is 0.
  return equal(fr, firstHash) && equal(sr, secondHash) && sn === 0n;
}

const bytes = (hex: string) => new Uint8Array(Buffer.from(hex, "hex"));

function flipBit(hex: string, bit: number): string {
  const flipped = Buffer.from(hex, "hex");
  flipped[bit >> 3]! ^= 1 << (bit & 7);
  return flipped.toString("hex");
}

/** A log of `size` distinct leaves, as the writer stores it. */
function buildLog(size: number, seed: number) {
  const nodes = new Map<string, Uint8Array>();
  const nodeAt = (level: number, index: number) => nodes.get(`${level}/${index}`)!;
  const leafHashes = Array.from({ length: size }, (_, i) => toHex(leafHash(new TextEncoder().encode(`${seed}/${i}`))));
  leafHashes.forEach((hash, index) => {
    for (const node of nodesCompletedBy(index, bytes(hash), nodeAt)) nodes.set(`${node.level}/${node.index}`, node.hash);
  });
  return { nodeAt, leafHashes, root: (treeSize: number) => toHex(rootAt(treeSize, nodeAt)) };
}

/** One change to a proof: flip a bit, drop, duplicate or swap elements, or leave it as it is. */
const proofChange = fc.record({ kind: fc.constantFrom("none", "flip", "drop", "append", "swap"), at: fc.nat(), bit: fc.nat({ max: 255 }) });

function changeProof(proof: string[], change: { kind: string; at: number; bit: number }): string[] {
  if (proof.length === 0) return change.kind === "append" ? ["00".repeat(32)] : proof;
  const at = change.at % proof.length;
  switch (change.kind) {
    case "flip":
      return proof.with(at, flipBit(proof[at]!, change.bit));
    case "drop":
      return proof.toSpliced(at, 1);
    case "append":
      return [...proof, proof[at]!];
    case "swap":
      return proof.with(at, proof[(at + 1) % proof.length]!).with((at + 1) % proof.length, proof[at]!);
    default:
      return proof;
  }
}

const VECTORS = join(import.meta.dirname, "../vectors/rfc6962");
const base64 = (text: string) => new Uint8Array(Buffer.from(text, "base64"));

describe("the RFC 9162 transcription", () => {
  // The transcription is only a witness if it is right: it must pass the published vectors too.
  it("agrees with every vector", () => {
    const files = (kind: string) =>
      readdirSync(join(VECTORS, kind), { recursive: true, encoding: "utf8" }).filter((path) => path.endsWith(".json"));
    for (const path of files("inclusion")) {
      const v = JSON.parse(readFileSync(join(VECTORS, "inclusion", path), "utf8"));
      const accepted = rfcVerifyInclusion(base64(v.leafHash), v.leafIdx, v.treeSize, (v.proof ?? []).map(base64), base64(v.root));
      expect(accepted, path).toBe(!v.wantErr);
    }
    for (const path of files("consistency")) {
      const v = JSON.parse(readFileSync(join(VECTORS, "consistency", path), "utf8"));
      const accepted = rfcVerifyConsistency(v.size1, v.size2, base64(v.root1), base64(v.root2), (v.proof ?? []).map(base64));
      expect(accepted, path).toBe(!v.wantErr);
    }
  });
});

describe("cross-check against the RFC 9162 transcription", () => {
  const sizes = fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 301, max: 2000 }));

  it("agrees on inclusion proofs, genuine or changed, for any index and size", () => {
    const cases = sizes.chain((size) =>
      fc.tuple(fc.constant(size), fc.nat({ max: size - 1 }), fc.nat({ max: 2 * size }), fc.nat({ max: 2 * size })),
    );
    fc.assert(
      fc.property(cases, fc.nat(), proofChange, ([size, index, claimedIndex, claimedSize], seed, change) => {
        const log = buildLog(size, seed);
        const root = log.root(size);
        const leaf = log.leafHashes[index]!;
        const proof = inclusionProof(index, size, log.nodeAt).map(toHex);
        expect(verifyInclusion(leaf, index, size, proof, root)).toBe(true);
        expect(rfcVerifyInclusion(bytes(leaf), index, size, proof.map(bytes), bytes(root))).toBe(true);
        for (const [i, n, path] of [
          [index, size, changeProof(proof, change)],
          [claimedIndex, size, proof],
          [index, claimedSize, proof],
        ] as const) {
          expect(verifyInclusion(leaf, i, n, path, root)).toBe(rfcVerifyInclusion(bytes(leaf), i, n, path.map(bytes), bytes(root)));
        }
      }),
      { numRuns: 300 },
    );
  }, 30_000);

  it("agrees on consistency proofs, genuine or changed, for any two sizes", () => {
    const cases = sizes.chain((size2) =>
      fc.tuple(fc.integer({ min: 1, max: size2 }), fc.constant(size2), fc.nat({ max: 2 * size2 }), fc.nat({ max: 2 * size2 })),
    );
    fc.assert(
      fc.property(cases, fc.nat(), proofChange, ([size1, size2, claimed1, claimed2], seed, change) => {
        const log = buildLog(size2, seed);
        const root1 = log.root(size1);
        const root2 = log.root(size2);
        const proof = consistencyProof(size1, size2, log.nodeAt).map(toHex);
        expect(verifyConsistency(size1, size2, root1, root2, proof)).toBe(true);
        expect(rfcVerifyConsistency(size1, size2, bytes(root1), bytes(root2), proof.map(bytes))).toBe(true);
        for (const [m, n, path] of [
          [size1, size2, changeProof(proof, change)],
          [claimed1, size2, proof],
          [size1, claimed2, proof],
        ] as const) {
          expect(verifyConsistency(m, n, root1, root2, path)).toBe(rfcVerifyConsistency(m, n, bytes(root1), bytes(root2), path.map(bytes)));
        }
      }),
      { numRuns: 300 },
    );
  }, 30_000);
});
