// Receipts from the running system, checked with an independent RFC 6962/9162 implementation:
// sigstore's Rekor verifier (@sigstore/verify), which shares no code with merkle/.
import { describe, expect, it } from "vitest";
import { verifyMerkleInclusion } from "@sigstore/verify/dist/tlog/merkle.js";
import { fromHex } from "../../../merkle/index.js";
import { anchorLatest, logPendingRecords, receiptByHash } from "../support/audit.ts";
import { createVerification, uploadDocument } from "../support/factories.ts";
import { pngBytes } from "../support/files.ts";

type Receipt = { leaf: { data: string; index: number }; inclusion_proof: string[]; checkpoint: { tree_size: number; root_hash: string } };

function sigstoreAccepts(receipt: Receipt): boolean {
  const entry = {
    canonicalizedBody: Buffer.from(receipt.leaf.data, "base64"),
    inclusionProof: { logIndex: String(receipt.leaf.index), hashes: receipt.inclusion_proof.map((h) => Buffer.from(fromHex(h))) },
  };
  try {
    verifyMerkleInclusion(entry, {
      logSize: BigInt(receipt.checkpoint.tree_size),
      logHash: Buffer.from(fromHex(receipt.checkpoint.root_hash)),
    });
    return true;
  } catch {
    return false;
  }
}

describe("receipts against an independent verifier", () => {
  it("verifies every document's receipt, and rejects one with a flipped proof or leaf bit", async () => {
    const { id, token } = await createVerification("customer4@demo.test");
    const hashes: string[] = [];
    for (let i = 0; i < 5; i++)
      hashes.push((await uploadDocument(token, id, pngBytes(2000 + i), i % 2 ? "selfie" : "passport")).body.document_hash);
    await logPendingRecords();
    await anchorLatest();
    for (const hash of hashes) {
      const body = (await receiptByHash(hash)).body as Receipt;
      expect(sigstoreAccepts(body), hash).toBe(true);
      const flippedProof = {
        ...body,
        inclusion_proof: body.inclusion_proof.map((h: string, i: number) => (i === 0 ? `${h[0] === "0" ? "1" : "0"}${h.slice(1)}` : h)),
      };
      if (body.inclusion_proof.length) expect(sigstoreAccepts(flippedProof)).toBe(false);
      const data = Buffer.from(body.leaf.data, "base64");
      data[0]! ^= 1;
      expect(sigstoreAccepts({ ...body, leaf: { ...body.leaf, data: data.toString("base64") } })).toBe(false);
    }
  });
});
