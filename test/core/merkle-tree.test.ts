import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  nodeHash,
  nodesCompletedBy,
  rootAt,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from "../../merkle/index.js";

// The writer's tree functions against a naive transcription of RFC 9162 §2.1 (MTH, PATH and
// SUBPROOF as recursive definitions, hashed with node:crypto rather than the library's SHA-256).

type Range = { start: number; end: number };
type Side = "left" | "right";
type Role = "seed" | Side;

function sha256(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

/** The largest power of two smaller than n (n > 1): the RFC's split point k. */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** RFC 9162 §2.1.3.1 PATH(m, D[start:end]), as the leaf ranges of its elements and their sides. */
function referencePath(m: number, start: number, end: number): Array<Range & { side: Side }> {
  if (end - start === 1) return [];
  const k = split(end - start);
  return m < k
    ? [...referencePath(m, start, start + k), { start: start + k, end, side: "right" }]
    : [...referencePath(m - k, start + k, end), { start, end: start + k, side: "left" }];
}

/** RFC 9162 §2.1.4.1 SUBPROOF(m, D[start:end], b), as leaf ranges and the role of each element. */
function referenceSubproof(m: number, start: number, end: number, complete: boolean): Array<Range & { role: Role }> {
  if (m === end - start) return complete ? [] : [{ start, end, role: "seed" }];
  const k = split(end - start);
  return m <= k
    ? [...referenceSubproof(m, start, start + k, complete), { start: start + k, end, role: "right" }]
    : [...referenceSubproof(m - k, start + k, end, false), { start, end: start + k, role: "left" }];
}

/** The turns a verifier takes for leaf m of n; a proof binds index and size only this far. */
function turns(m: number, n: number): string | null {
  return m >= 0 && m < n
    ? referencePath(m, 0, n)
        .map((step) => step.side)
        .join(",")
    : null;
}

/** The roles of a consistency proof's elements ("root1" when the old root is the seed). */
function roles(m: number, n: number): string | null {
  if (m <= 0 || m >= n) return null;
  const parts = referenceSubproof(m, 0, n, true);
  return [parts[0]?.role === "seed" ? "" : "root1", ...parts.map((part) => part.role)].join(",");
}

/** MTH over a list of leaf inputs, memoised per range. */
function referenceTree(data: readonly Uint8Array[]) {
  const memo = new Map<string, Uint8Array>();
  function mth(start: number, end: number): Uint8Array {
    if (end === start) return sha256();
    if (end - start === 1) return sha256(Uint8Array.of(0), data[start]!);
    const key = `${start}:${end}`;
    let hash = memo.get(key);
    if (!hash) {
      const k = split(end - start);
      hash = sha256(Uint8Array.of(1), mth(start, start + k), mth(start + k, end));
      memo.set(key, hash);
    }
    return hash;
  }
  return {
    root: (size: number) => toHex(mth(0, size)),
    path: (m: number, size: number) => referencePath(m, 0, size).map(({ start, end }) => toHex(mth(start, end))),
    consistency: (m: number, size: number) =>
      m === 0 || m === size ? [] : referenceSubproof(m, 0, size, true).map(({ start, end }) => toHex(mth(start, end))),
  };
}

/** A log fed through nodesCompletedBy into an in-memory node map, as the writer stores it. */
function buildLog(data: readonly Uint8Array[]) {
  const nodes = new Map<string, Uint8Array>();
  /** The log as it stood at `size` leaves: reading a node outside it is a bug. */
  function view(size: number) {
    const counter = { reads: 0 };
    const nodeAt = (level: number, index: number): Uint8Array => {
      counter.reads++;
      const hash = nodes.get(`${level}/${index}`);
      if ((index + 1) * 2 ** level > size || !hash) throw new Error(`read node ${level}/${index} in a tree of ${size}`);
      return hash;
    };
    return { nodeAt, counter };
  }
  data.forEach((leaf, index) => {
    for (const node of nodesCompletedBy(index, leafHash(leaf), view(index).nodeAt)) nodes.set(`${node.level}/${node.index}`, node.hash);
  });
  return { nodes, view };
}

/** Distinct leaf inputs, like the log's salted records. */
function leaves(size: number, seed: number): Uint8Array[] {
  return Array.from({ length: size }, (_, i) => new TextEncoder().encode(`record ${seed}/${i}`));
}

function hexes(hashes: Uint8Array[]): string[] {
  return hashes.map(toHex);
}

function flipBit(hex: string, bit: number): string {
  const bytes = Buffer.from(hex, "hex");
  bytes[bit >> 3]! ^= 1 << (bit & 7);
  return bytes.toString("hex");
}

function bitLength(n: number): number {
  return n === 0 ? 0 : n.toString(2).length;
}

/** Perfect-subtree reads allowed for one proof or root: O(log n). */
function readBudget(size: number): number {
  return 2 * bitLength(size) + 1;
}

const sizes = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 301, max: 3000 }));

describe("tree functions against the RFC definitions, every size up to 64", () => {
  const data = leaves(64, 0);
  const log = buildLog(data);
  const reference = referenceTree(data);

  it("computes MTH for every prefix, including the empty tree", () => {
    expect(toHex(rootAt(0, log.view(0).nodeAt))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    for (let size = 0; size <= 64; size++) expect(toHex(rootAt(size, log.view(size).nodeAt))).toBe(reference.root(size));
  });

  it("builds PATH for every leaf of every tree, and each verifies", () => {
    for (let size = 1; size <= 64; size++) {
      const root = reference.root(size);
      for (let index = 0; index < size; index++) {
        const proof = hexes(inclusionProof(index, size, log.view(size).nodeAt));
        expect(proof).toEqual(reference.path(index, size));
        expect(verifyInclusion(toHex(leafHash(data[index]!)), index, size, proof, root)).toBe(true);
      }
    }
  });

  it("builds PROOF between every two sizes, and each verifies", () => {
    for (let size2 = 0; size2 <= 64; size2++) {
      for (let size1 = 0; size1 <= size2; size1++) {
        const proof = hexes(consistencyProof(size1, size2, log.view(size2).nodeAt));
        expect(proof).toEqual(reference.consistency(size1, size2));
        expect(verifyConsistency(size1, size2, reference.root(size1), reference.root(size2), proof)).toBe(size1 > 0);
      }
    }
  });

  it("refuses to prove what is not in the tree", () => {
    const { nodeAt } = log.view(8);
    expect(() => inclusionProof(8, 8, nodeAt)).toThrow(RangeError);
    expect(() => inclusionProof(-1, 8, nodeAt)).toThrow(RangeError);
    expect(() => consistencyProof(5, 4, nodeAt)).toThrow(RangeError);
    expect(() => rootAt(1.5, nodeAt)).toThrow(RangeError);
    expect(() => nodesCompletedBy(8, new Uint8Array(31), nodeAt)).toThrow(RangeError);
  });
});

describe("tree properties on random logs", () => {
  it("has the RFC root for logs of any size, reading O(log n) nodes", () => {
    fc.assert(
      fc.property(sizes, fc.nat(), (size, seed) => {
        const data = leaves(size, seed);
        const { view } = buildLog(data);
        const { nodeAt, counter } = view(size);
        expect(toHex(rootAt(size, nodeAt))).toBe(referenceTree(data).root(size));
        expect(counter.reads).toBeLessThanOrEqual(bitLength(size));
      }),
      { numRuns: 60 },
    );
  });

  it("persists each node once, reading only the left siblings an append completes", () => {
    fc.assert(
      fc.property(sizes, fc.nat(), (size, seed) => {
        const data = leaves(size, seed);
        const { nodes, view } = buildLog(data);
        // A tree of n leaves has 2n − popcount(n) perfect subtrees.
        expect(nodes.size).toBe(2 * size - (size.toString(2).match(/1/g)?.length ?? 0));
        const { nodeAt, counter } = view(size);
        const appended = nodesCompletedBy(size, leafHash(new Uint8Array(1)), nodeAt);
        expect(appended.length).toBe(1 + counter.reads);
        expect(counter.reads).toBeLessThanOrEqual(bitLength(size));
        expect(appended.map((node) => node.level)).toEqual(appended.map((_, i) => i));
      }),
      { numRuns: 60 },
    );
  });

  it("proves inclusion of any leaf, and any change to the proof, leaf, root, index or size breaks it", () => {
    const logs = sizes.filter((size) => size > 0).chain((size) => fc.tuple(fc.constant(size), fc.nat({ max: size - 1 }), fc.nat()));
    fc.assert(
      fc.property(
        logs,
        fc.nat({ max: 255 }),
        fc.nat(),
        fc.integer({ min: 0, max: 6000 }),
        fc.integer({ min: 0, max: 6000 }),
        ([size, index, seed], bit, pick, otherIndex, otherSize) => {
          const data = leaves(size, seed);
          const { nodeAt, counter } = buildLog(data).view(size);
          const proof = hexes(inclusionProof(index, size, nodeAt));
          expect(counter.reads).toBeLessThanOrEqual(readBudget(size));
          const leaf = toHex(leafHash(data[index]!));
          const root = toHex(rootAt(size, nodeAt));
          expect(verifyInclusion(leaf, index, size, proof, root)).toBe(true);

          expect(verifyInclusion(flipBit(leaf, bit), index, size, proof, root)).toBe(false);
          expect(verifyInclusion(leaf, index, size, proof, flipBit(root, bit))).toBe(false);
          if (proof.length > 0) {
            const at = pick % proof.length;
            expect(verifyInclusion(leaf, index, size, proof.with(at, flipBit(proof[at]!, bit)), root)).toBe(false);
            expect(verifyInclusion(leaf, index, size, proof.toSpliced(at, 1), root)).toBe(false);
          }
          expect(verifyInclusion(leaf, index, size, [...proof, root], root)).toBe(false);
          // Another index or size is accepted exactly when the verifier would take the same turns,
          // which is why the size must come from a signed checkpoint.
          const sameTurns = turns(index, size);
          expect(verifyInclusion(leaf, otherIndex, size, proof, root)).toBe(otherIndex === index);
          expect(verifyInclusion(leaf, index, otherSize, proof, root)).toBe(turns(index, otherSize) === sameTurns);
          expect(verifyInclusion(leaf, index, size + 1, proof, root)).toBe(turns(index, size + 1) === sameTurns);
          expect(verifyInclusion(leaf, size, size, proof, root)).toBe(false);
          expect(verifyInclusion(leaf, index, index, proof, root)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  }, 30_000);

  it("proves consistency between any two sizes, and any change to the proof, roots or sizes breaks it", () => {
    const pairs = sizes
      .filter((size) => size > 0)
      .chain((size2) => fc.tuple(fc.integer({ min: 1, max: size2 }), fc.constant(size2), fc.nat()));
    fc.assert(
      fc.property(
        pairs,
        fc.nat({ max: 255 }),
        fc.nat(),
        fc.integer({ min: 0, max: 6000 }),
        fc.integer({ min: 0, max: 6000 }),
        ([size1, size2, seed], bit, pick, other1, other2) => {
          const data = leaves(size2, seed);
          const log = buildLog(data);
          const { nodeAt, counter } = log.view(size2);
          const proof = hexes(consistencyProof(size1, size2, nodeAt));
          expect(counter.reads).toBeLessThanOrEqual(readBudget(size2));
          const root1 = toHex(rootAt(size1, log.view(size1).nodeAt));
          const root2 = toHex(rootAt(size2, nodeAt));
          expect(verifyConsistency(size1, size2, root1, root2, proof)).toBe(true);

          expect(verifyConsistency(size1, size2, flipBit(root1, bit), root2, proof)).toBe(false);
          expect(verifyConsistency(size1, size2, root1, flipBit(root2, bit), proof)).toBe(false);
          expect(verifyConsistency(size1, size2, root1, root2, [...proof, root1])).toBe(false);
          if (proof.length > 0) {
            const at = pick % proof.length;
            expect(verifyConsistency(size1, size2, root1, root2, proof.with(at, flipBit(proof[at]!, bit)))).toBe(false);
            expect(verifyConsistency(size1, size2, root1, root2, proof.toSpliced(at, 1))).toBe(false);
          }
          // Other sizes are accepted exactly when the proof has the same shape (or both are equal sizes with equal roots).
          const shape = roles(size1, size2);
          const accepts = (m: number, n: number) => {
            if (m <= 0 || m > n) return false;
            if (m === n) return proof.length === 0 && root1 === root2;
            return roles(m, n) === shape;
          };
          expect(verifyConsistency(other1, size2, root1, root2, proof)).toBe(accepts(other1, size2));
          expect(verifyConsistency(size1, other2, root1, root2, proof)).toBe(accepts(size1, other2));
        },
      ),
      { numRuns: 300 },
    );
  }, 30_000);

  it("rejects a single flipped bit anywhere in a proof", () => {
    const data = leaves(300, 7);
    const log = buildLog(data);
    const { nodeAt } = log.view(300);
    const index = 137;
    const leaf = toHex(leafHash(data[index]!));
    const root = toHex(rootAt(300, nodeAt));
    const proof = hexes(inclusionProof(index, 300, nodeAt));
    const old = toHex(rootAt(137, log.view(137).nodeAt));
    const consistency = hexes(consistencyProof(137, 300, nodeAt));
    for (let bit = 0; bit < 256; bit++) {
      proof.forEach((hash, at) => expect(verifyInclusion(leaf, index, 300, proof.with(at, flipBit(hash, bit)), root)).toBe(false));
      consistency.forEach((hash, at) =>
        expect(verifyConsistency(137, 300, old, root, consistency.with(at, flipBit(hash, bit)))).toBe(false),
      );
    }
  });
});

describe("logs far beyond 32-bit sizes", () => {
  // 256 distinct leaves repeated: every perfect subtree is still the true hash of its leaves,
  // so a log of 2^52 leaves costs only a few hundred hashes to model.
  const PERIOD_BITS = 8;
  const memo = new Map<string, Uint8Array>();
  function periodicNode(level: number, index: number): Uint8Array {
    const key = level >= PERIOD_BITS ? `${level}` : `${level}/${index % 2 ** (PERIOD_BITS - level)}`;
    let hash = memo.get(key);
    if (!hash) {
      const child = level >= PERIOD_BITS ? 0 : 2 * index;
      hash =
        level === 0 ? leafHash(Uint8Array.of(index % 256)) : nodeHash(periodicNode(level - 1, child), periodicNode(level - 1, child + 1));
      memo.set(key, hash);
    }
    return hash;
  }
  function view(size: number) {
    const counter = { reads: 0 };
    const nodeAt = (level: number, index: number) => {
      counter.reads++;
      if ((index + 1) * 2 ** level > size) throw new Error(`read node ${level}/${index} in a tree of ${size}`);
      return periodicNode(level, index);
    };
    return { nodeAt, counter };
  }
  /** Runs one tree function on the log of `size` leaves and checks it read O(log n) nodes. */
  function logarithmic<T>(size: number, run: (nodeAt: (level: number, index: number) => Uint8Array) => T): T {
    const { nodeAt, counter } = view(size);
    const result = run(nodeAt);
    expect(counter.reads).toBeLessThanOrEqual(readBudget(size));
    return result;
  }
  const hugeSizes = fc.bigInt({ min: 2n ** 31n, max: BigInt(Number.MAX_SAFE_INTEGER) }).map(Number);
  const fractions = fc.double({ min: 0, max: 1, noNaN: true });

  it("proves inclusion and consistency reading O(log n) nodes", () => {
    fc.assert(
      fc.property(hugeSizes, fractions, fractions, (size2, a, b) => {
        const index = Math.min(size2 - 1, Math.floor(a * size2));
        const size1 = Math.max(1, Math.min(size2, Math.floor(b * size2)));
        const root2 = toHex(logarithmic(size2, (nodeAt) => rootAt(size2, nodeAt)));
        const root1 = toHex(logarithmic(size1, (nodeAt) => rootAt(size1, nodeAt)));
        const inclusion = hexes(logarithmic(size2, (nodeAt) => inclusionProof(index, size2, nodeAt)));
        const consistency = hexes(logarithmic(size2, (nodeAt) => consistencyProof(size1, size2, nodeAt)));
        expect(verifyInclusion(toHex(periodicNode(0, index)), index, size2, inclusion, root2)).toBe(true);
        expect(verifyInclusion(toHex(periodicNode(0, index + 1)), index, size2, inclusion, root2)).toBe(false);
        expect(verifyConsistency(size1, size2, root1, root2, consistency)).toBe(true);
        expect(verifyConsistency(size1, size2, root1, flipBit(root2, 0), consistency)).toBe(false);
        const { nodeAt, counter } = view(index);
        nodesCompletedBy(index, periodicNode(0, index), nodeAt);
        expect(counter.reads).toBeLessThanOrEqual(bitLength(index));
      }),
      { numRuns: 200 },
    );
  });
});
