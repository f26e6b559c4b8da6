import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { verifyConsistency, verifyInclusion } from "../../merkle/index.js";

// The transparency-dev/merkle vectors (test/vectors/rfc6962/README.md): hashes are base64 and
// each file says whether a correct verifier rejects it. A null proof means an empty one.
const VECTORS = join(import.meta.dirname, "../vectors/rfc6962");

type InclusionVector = { leafIdx: number; treeSize: number; root: string; leafHash: string; proof: string[] | null; wantErr: boolean };
type ConsistencyVector = { size1: number; size2: number; root1: string; root2: string; proof: string[] | null; wantErr: boolean };

function vectorFiles(kind: "inclusion" | "consistency"): string[] {
  return readdirSync(join(VECTORS, kind), { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".json"))
    .map((path) => join(VECTORS, kind, path))
    .sort();
}

function read<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

function hex(base64: string): string {
  return Buffer.from(base64, "base64").toString("hex");
}

describe("RFC 6962 inclusion vectors", () => {
  const files = vectorFiles("inclusion");
  it("covers every inclusion vector file, including additional/ and single-entry/", () => {
    expect(files.length).toBe(98);
  });
  for (const file of files) {
    const vector = read<InclusionVector>(file);
    it(`${vector.wantErr ? "rejects" : "accepts"} ${relative(VECTORS, file)}`, () => {
      const proof = (vector.proof ?? []).map(hex);
      expect(verifyInclusion(hex(vector.leafHash), vector.leafIdx, vector.treeSize, proof, hex(vector.root))).toBe(!vector.wantErr);
    });
  }
});

describe("RFC 6962 consistency vectors", () => {
  const files = vectorFiles("consistency");
  it("covers every consistency vector file, including additional/", () => {
    expect(files.length).toBe(98);
  });
  for (const file of files) {
    const vector = read<ConsistencyVector>(file);
    it(`${vector.wantErr ? "rejects" : "accepts"} ${relative(VECTORS, file)}`, () => {
      const proof = (vector.proof ?? []).map(hex);
      expect(verifyConsistency(vector.size1, vector.size2, hex(vector.root1), hex(vector.root2), proof)).toBe(!vector.wantErr);
    });
  }
});

describe("verifier input conventions", () => {
  const inclusion = read<InclusionVector>(join(VECTORS, "inclusion/1/happy-path.json"));
  const consistency = read<ConsistencyVector>(join(VECTORS, "consistency/1/happy-path.json"));
  const leaf = hex(inclusion.leafHash);
  const root = hex(inclusion.root);
  const path = (inclusion.proof ?? []).map(hex);
  const root1 = hex(consistency.root1);
  const root2 = hex(consistency.root2);
  const cpath = (consistency.proof ?? []).map(hex);
  const { leafIdx: index, treeSize } = inclusion;
  const { size1, size2 } = consistency;

  it("accepts hex in either case", () => {
    const upper = (h: string) => h.toUpperCase();
    expect(verifyInclusion(upper(leaf), index, treeSize, path.map(upper), upper(root))).toBe(true);
    expect(verifyConsistency(size1, size2, upper(root1), upper(root2), cpath.map(upper))).toBe(true);
  });

  it("rejects malformed inclusion input instead of throwing", () => {
    const verify = verifyInclusion as (...input: unknown[]) => boolean;
    expect(verify(leaf, index, treeSize, path, root)).toBe(true);
    for (const input of [
      ["zz", index, treeSize, path, root],
      [leaf.slice(2), index, treeSize, path, root],
      [`${leaf}00`, index, treeSize, path, root],
      [leaf, -1, treeSize, path, root],
      [leaf, 0.5, treeSize, path, root],
      [leaf, String(index), treeSize, path, root],
      [leaf, index, Number.NaN, path, root],
      [leaf, index, 2 ** 60, path, root],
      [leaf, index, treeSize, null, root],
      [leaf, index, treeSize, [1, 2, 3], root],
      [leaf, index, treeSize, [...path.slice(0, -1), "not hex"], root],
      [leaf, index, treeSize, path, `0x${root}`],
      [null, undefined, {}, "proof", 42],
    ]) {
      expect(verify(...input)).toBe(false);
    }
  });

  it("rejects malformed consistency input instead of throwing", () => {
    const verify = verifyConsistency as (...input: unknown[]) => boolean;
    expect(verify(size1, size2, root1, root2, cpath)).toBe(true);
    for (const input of [
      [-1, size2, root1, root2, cpath],
      [size1, 1.5, root1, root2, cpath],
      [size1, Infinity, root1, root2, cpath],
      [String(size1), size2, root1, root2, cpath],
      [size1, size2, "", root2, cpath],
      [size1, size2, root1, root2.slice(1), cpath],
      [size1, size2, root1, root2, null],
      [size1, size2, root1, root2, [...cpath, 7]],
      [size1, size1, root1, "xyz", []],
      [null, undefined, {}, "proof", 42],
    ]) {
      expect(verify(...input)).toBe(false);
    }
  });
});
