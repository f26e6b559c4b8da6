import { describe, expect, it } from "vitest";
import {
  checkpointBody,
  inclusionProof,
  leafHash,
  nodesCompletedBy,
  parseCheckpointBody,
  rootAt,
  toHex,
  verifyReceipt,
} from "../../merkle/index.js";

const ORIGIN = "verifyid.test/audit";
const ALL_PASS = { leaf_hash: true, inclusion: true, checkpoint_body: true, signature: true };

type Receipt = {
  version: string;
  leaf: { record_id: string; kind: string; data: string; leaf_hash: string; index: number };
  inclusion_proof: string[];
  checkpoint: { origin: string; tree_size: number; root_hash: string; timestamp: string; body: string; signature: string; key_id: string };
  anchor: { status: string };
};

/** A log of `size` salted document records, checkpointed and signed with a fresh Ed25519 key. */
async function signedLog(size: number) {
  const keys = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const publicKey = Buffer.from((await crypto.subtle.exportKey("raw", keys.publicKey)) as ArrayBuffer).toString("base64");
  const nodes = new Map<string, Uint8Array>();
  const nodeAt = (level: number, index: number) => nodes.get(`${level}/${index}`)!;
  const records = Array.from({ length: size }, (_, i) =>
    new TextEncoder().encode(
      JSON.stringify({ salt: toHex(crypto.getRandomValues(new Uint8Array(16))), document_hash: toHex(leafHash(Uint8Array.of(i))) }),
    ),
  );
  records.forEach((record, index) => {
    for (const node of nodesCompletedBy(index, leafHash(record), nodeAt)) nodes.set(`${node.level}/${node.index}`, node.hash);
  });
  const root = rootAt(size, nodeAt);
  const body = checkpointBody(ORIGIN, size, root);
  const signature = Buffer.from(await crypto.subtle.sign({ name: "Ed25519" }, keys.privateKey, new TextEncoder().encode(body))).toString(
    "base64",
  );
  const checkpoint = {
    origin: ORIGIN,
    tree_size: size,
    root_hash: toHex(root),
    timestamp: "2026-01-01T00:00:00Z",
    body,
    signature,
    key_id: "audit-test",
  };
  const receiptFor = (index: number): Receipt => ({
    version: "verifyid-receipt/v1",
    leaf: {
      record_id: `rec-${index}`,
      kind: "document",
      data: Buffer.from(records[index]!).toString("base64"),
      leaf_hash: toHex(leafHash(records[index]!)),
      index,
    },
    inclusion_proof: inclusionProof(index, size, nodeAt).map(toHex),
    checkpoint,
    anchor: { status: "pending" },
  });
  return { publicKey, receiptFor };
}

/** A copy of `receipt` with one change made to it. */
function tampered(receipt: Receipt, change: (copy: Receipt) => void): Receipt {
  const copy = structuredClone(receipt);
  change(copy);
  return copy;
}

function flipHexBit(hex: string, bit: number): string {
  const bytes = Buffer.from(hex, "hex");
  bytes[bit >> 3]! ^= 1 << (bit & 7);
  return bytes.toString("hex");
}

/** The same bytes spelled differently: sets an unused low bit of the last base64 digit. */
function respell(base64: string): string {
  const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const last = base64.replace(/=+$/, "").length - 1;
  const respelled = base64.slice(0, last) + DIGITS[DIGITS.indexOf(base64[last]!) | 1] + base64.slice(last + 1);
  expect(Buffer.from(respelled, "base64")).toEqual(Buffer.from(base64, "base64"));
  return respelled;
}

function flipBase64Bit(base64: string, bit: number): string {
  const bytes = Buffer.from(base64, "base64");
  bytes[bit >> 3]! ^= 1 << (bit & 7);
  return bytes.toString("base64");
}

describe("verifyReceipt", async () => {
  const log = await signedLog(13);
  const receipt = log.receiptFor(6);

  it("accepts a genuine receipt for every leaf", async () => {
    for (let index = 0; index < 13; index++) {
      expect(await verifyReceipt(log.receiptFor(index), log.publicKey)).toEqual({ ok: true, checks: ALL_PASS, errors: [] });
    }
  });

  it("accepts hashes in uppercase hex", async () => {
    const upper = tampered(receipt, (r) => {
      r.leaf.leaf_hash = r.leaf.leaf_hash.toUpperCase();
      r.inclusion_proof = r.inclusion_proof.map((hash) => hash.toUpperCase());
      r.checkpoint.root_hash = r.checkpoint.root_hash.toUpperCase();
    });
    expect((await verifyReceipt(upper, log.publicKey)).ok).toBe(true);
  });

  it("rejects any flipped bit in the leaf data", async () => {
    const bits = Buffer.from(receipt.leaf.data, "base64").length * 8;
    for (let bit = 0; bit < bits; bit++) {
      const result = await verifyReceipt(
        tampered(receipt, (r) => (r.leaf.data = flipBase64Bit(r.leaf.data, bit))),
        log.publicKey,
      );
      expect(result.ok).toBe(false);
      expect(result.checks).toEqual({ ...ALL_PASS, leaf_hash: false, inclusion: false });
    }
  });

  it("rejects a leaf hash that does not match the data", async () => {
    const result = await verifyReceipt(
      tampered(receipt, (r) => (r.leaf.leaf_hash = flipHexBit(r.leaf.leaf_hash, 9))),
      log.publicKey,
    );
    expect(result.checks).toEqual({ ...ALL_PASS, leaf_hash: false });
    expect(result.errors).toEqual(["leaf.leaf_hash is not SHA-256(0x00 || leaf.data)"]);
  });

  it("rejects any flipped bit in any proof hash, and a wrong index", async () => {
    for (const [at, hash] of receipt.inclusion_proof.entries()) {
      for (let bit = 0; bit < 256; bit += 17) {
        const result = await verifyReceipt(
          tampered(receipt, (r) => (r.inclusion_proof[at] = flipHexBit(hash, bit))),
          log.publicKey,
        );
        expect(result.checks).toEqual({ ...ALL_PASS, inclusion: false });
      }
    }
    const moved = await verifyReceipt(
      tampered(receipt, (r) => (r.leaf.index = 7)),
      log.publicKey,
    );
    expect(moved.checks).toEqual({ ...ALL_PASS, inclusion: false });
  });

  it("rejects a flipped bit in the root", async () => {
    for (let bit = 0; bit < 256; bit += 13) {
      const result = await verifyReceipt(
        tampered(receipt, (r) => (r.checkpoint.root_hash = flipHexBit(r.checkpoint.root_hash, bit))),
        log.publicKey,
      );
      expect(result.checks).toEqual({ ...ALL_PASS, inclusion: false, checkpoint_body: false });
    }
  });

  it("rejects a checkpoint whose tree size or origin differs from its body", async () => {
    // Leaf 6's path takes the same turns in trees of 13 and 14 leaves, so the proof alone does
    // not pin the size: only the signed body does.
    const grown = await verifyReceipt(
      tampered(receipt, (r) => (r.checkpoint.tree_size = 14)),
      log.publicKey,
    );
    expect(grown.checks).toEqual({ ...ALL_PASS, checkpoint_body: false });
    const renamed = await verifyReceipt(
      tampered(receipt, (r) => (r.checkpoint.origin = "elsewhere.example/log")),
      log.publicKey,
    );
    expect(renamed.checks).toEqual({ ...ALL_PASS, checkpoint_body: false });
  });

  it("rejects any flipped bit in the signed body", async () => {
    const body = receipt.checkpoint.body;
    for (let at = 0; at < body.length; at++) {
      for (let bit = 0; bit < 7; bit++) {
        const changed = body.slice(0, at) + String.fromCharCode(body.charCodeAt(at) ^ (1 << bit)) + body.slice(at + 1);
        const result = await verifyReceipt(
          tampered(receipt, (r) => (r.checkpoint.body = changed)),
          log.publicKey,
        );
        expect(result.checks).toEqual({ ...ALL_PASS, checkpoint_body: false, signature: false });
      }
    }
  });

  it("rejects any flipped bit in the signature, and another log's key", async () => {
    for (let bit = 0; bit < 512; bit++) {
      const result = await verifyReceipt(
        tampered(receipt, (r) => (r.checkpoint.signature = flipBase64Bit(r.checkpoint.signature, bit))),
        log.publicKey,
      );
      expect(result.checks).toEqual({ ...ALL_PASS, signature: false });
    }
    const respelled = await verifyReceipt(
      tampered(receipt, (r) => (r.checkpoint.signature = respell(r.checkpoint.signature))),
      log.publicKey,
    );
    expect(respelled.checks).toEqual({ ...ALL_PASS, signature: false });
    const other = await signedLog(1);
    expect((await verifyReceipt(receipt, other.publicKey)).checks).toEqual({ ...ALL_PASS, signature: false });
    expect((await verifyReceipt(receipt, "not a key")).checks).toEqual({ ...ALL_PASS, signature: false });
  });

  it("fails malformed receipts without throwing", async () => {
    const nothing = { leaf_hash: false, inclusion: false, checkpoint_body: false, signature: false };
    for (const junk of [null, 42, "receipt", [], {}]) {
      const result = await verifyReceipt(junk, log.publicKey);
      expect(result.ok).toBe(false);
      expect(result.checks).toEqual(nothing);
    }
    const versioned = await verifyReceipt({ ...receipt, version: "verifyid-receipt/v2" }, log.publicKey);
    expect(versioned).toEqual({ ok: false, checks: ALL_PASS, errors: ["version is not verifyid-receipt/v1"] });
    const noProof = await verifyReceipt({ ...receipt, inclusion_proof: "none" }, log.publicKey);
    expect(noProof.checks).toEqual({ ...ALL_PASS, inclusion: false });
  });
});

describe("checkpoint bodies", () => {
  const root = leafHash(new Uint8Array(0));

  it("round-trip through the C2SP note text", () => {
    const body = checkpointBody(ORIGIN, 1234, root);
    expect(body).toBe(`${ORIGIN}\n1234\n${Buffer.from(root).toString("base64")}\n`);
    expect(parseCheckpointBody(body)).toEqual({ origin: ORIGIN, treeSize: 1234, rootHash: toHex(root) });
    expect(parseCheckpointBody(`${body}extension line\n`)).toEqual({ origin: ORIGIN, treeSize: 1234, rootHash: toHex(root) });
  });

  it("refuses text that is not a checkpoint body", () => {
    const base64 = Buffer.from(root).toString("base64");
    for (const text of [
      `${ORIGIN}\n1234\n${base64}`,
      `${ORIGIN}\n01234\n${base64}\n`,
      `${ORIGIN}\n-1\n${base64}\n`,
      `${ORIGIN}\n1e3\n${base64}\n`,
      `${ORIGIN}\n99999999999999999\n${base64}\n`,
      `${ORIGIN}\n1234\n${base64.slice(0, -4)}\n`,
      `${ORIGIN}\n1234\n${base64.replace("=", "")}\n`,
      `${ORIGIN}\n1234\n${respell(base64)}\n`,
      `\n1234\n${base64}\n`,
      `${ORIGIN}\n1234\n${base64}\n\n`,
      `${ORIGIN}\n1234\n`,
    ]) {
      expect(parseCheckpointBody(text)).toBeNull();
    }
  });

  it("refuses to write an ambiguous body", () => {
    expect(() => checkpointBody("two\nlines", 1, root)).toThrow(TypeError);
    expect(() => checkpointBody("", 1, root)).toThrow(TypeError);
    expect(() => checkpointBody(ORIGIN, -1, root)).toThrow(RangeError);
    expect(() => checkpointBody(ORIGIN, 1, root.subarray(1))).toThrow(RangeError);
  });
});
