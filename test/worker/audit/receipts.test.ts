// The tamper-evident audit log: leaves, receipts, checkpoints, consistency, anchors.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fromHex, leafHash, toHex, verifyConsistency, verifyInclusion, verifyReceipt } from "../../../merkle/index.js";
import { callJson, login } from "../support/api.ts";
import { anchorLatest, auditLog, logPendingRecords, publicKey, receiptByHash } from "../support/audit.ts";
import { createVerification, uploadDocument } from "../support/factories.ts";
import { pngBytes } from "../support/files.ts";
import { newTenant } from "../support/tenant.ts";

const fromBase64 = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

async function uploadedDocument(email = "customer1@demo.test") {
  const { id, token } = await createVerification(email);
  const { body } = await uploadDocument(token, id, pngBytes(4096));
  return { verificationId: id, token, ...body } as {
    verificationId: string;
    token: string;
    document_id: string;
    document_hash: string;
    audit_record_id: string;
  };
}

/** A receipt for a fresh document, logged and anchored. */
async function anchoredReceipt() {
  const doc = await uploadedDocument();
  await logPendingRecords();
  await anchorLatest();
  const { status, body } = await receiptByHash(doc.document_hash);
  expect(status).toBe(200);
  return { doc, receipt: body };
}

function flipBit(hex: string, bit = 0): string {
  const bytes = fromHex(hex);
  bytes[bit >> 3]! ^= 1 << (bit & 7);
  return toHex(bytes);
}

describe("leaves", () => {
  it("makes every uploaded document its own leaf that reveals only a salt and the document hash", async () => {
    const doc = await uploadedDocument();
    const row = await env.DB.prepare("SELECT kind, data, leaf_hash FROM audit_records WHERE id = ?")
      .bind(doc.audit_record_id)
      .first<{ kind: string; data: string; leaf_hash: string }>();
    expect(row!.kind).toBe("document");
    const input = JSON.parse(new TextDecoder().decode(fromBase64(row!.data)));
    expect(Object.keys(input)).toEqual(["document_hash", "salt"]);
    expect(input.document_hash).toBe(doc.document_hash);
    expect(fromBase64(input.salt)).toHaveLength(16);
    expect(row!.leaf_hash).toBe(toHex(leafHash(fromBase64(row!.data))));
  });

  it("gives two uploads of the same bytes different leaves (salted)", async () => {
    const bytes = pngBytes(3000);
    const a = await createVerification("customer2@demo.test");
    const b = await createVerification("customer3@demo.test");
    const first = (await uploadDocument(a.token, a.id, bytes)).body;
    const second = (await uploadDocument(b.token, b.id, bytes)).body;
    expect(first.document_hash).toBe(second.document_hash);
    const hashes = await env.DB.prepare("SELECT leaf_hash FROM audit_records WHERE id IN (?, ?)")
      .bind(first.audit_record_id, second.audit_record_id)
      .all<{ leaf_hash: string }>();
    expect(new Set(hashes.results.map((r) => r.leaf_hash)).size).toBe(2);
  });

  it("never rewrites a leaf: appending a record again returns its original place", async () => {
    const doc = await uploadedDocument();
    await logPendingRecords();
    const log = auditLog();
    const before = await log.leafOf(doc.audit_record_id);
    const size = await log.size();
    const again = await log.append([{ recordId: doc.audit_record_id, kind: "document", data: btoa("different data") }]);
    expect(again.results[0]).toMatchObject({ index: before!.index, leafHash: before!.leaf_hash, duplicate: true });
    expect(await log.size()).toBe(size);
    expect(await log.leaf(before!.index)).toEqual(before);
  });
});

describe("receipts", () => {
  it("answers 202 until the record is in the log, then serves a receipt that verifies offline", async () => {
    const doc = await uploadedDocument();
    const early = await receiptByHash(doc.document_hash);
    // The real queue may already have logged it; if not, the answer says it is on its way.
    if (early.status === 202) expect(early.body).toEqual({ status: "queued", record_id: doc.audit_record_id });
    else expect(early.status).toBe(200);

    await logPendingRecords();
    const { status, body } = await receiptByHash(doc.document_hash);
    expect(status).toBe(200);
    expect(body.version).toBe("verifyid-receipt/v1");
    expect(body.leaf.record_id).toBe(doc.audit_record_id);
    const verdict = await verifyReceipt(body, await publicKey());
    expect(verdict).toMatchObject({ ok: true, errors: [] });
  });

  it("proves inclusion against the anchored checkpoint once its root is on the chain", async () => {
    const { receipt } = await anchoredReceipt();
    expect(receipt.anchor).toMatchObject({
      status: "confirmed",
      anchored_tree_size: receipt.checkpoint.tree_size,
      anchored_root: receipt.checkpoint.root_hash,
    });
    expect(receipt.anchor.tx_id).toMatch(/^VERIFY-CHECKPOINT-\d+-[0-9a-f]{8}$/);
    expect(receipt.checkpoint.body).toBe(
      `${receipt.checkpoint.origin}\n${receipt.checkpoint.tree_size}\n${btoa(String.fromCharCode(...fromHex(receipt.checkpoint.root_hash)))}\n`,
    );
    expect(
      verifyInclusion(
        receipt.leaf.leaf_hash,
        receipt.leaf.index,
        receipt.checkpoint.tree_size,
        receipt.inclusion_proof,
        receipt.checkpoint.root_hash,
      ),
    ).toBe(true);
    expect((await verifyReceipt(receipt, await publicKey())).ok).toBe(true);
  });

  it("fails verification when any bit of a proof hash, the leaf, the root or the signature flips", async () => {
    const { receipt } = await anchoredReceipt();
    const key = await publicKey();
    const variants: Array<[string, object]> = [
      [
        "leaf data",
        {
          ...receipt,
          leaf: { ...receipt.leaf, data: btoa(String.fromCharCode(...fromBase64(receipt.leaf.data).map((b, i) => (i === 3 ? b ^ 1 : b)))) },
        },
      ],
      ["leaf hash", { ...receipt, leaf: { ...receipt.leaf, leaf_hash: flipBit(receipt.leaf.leaf_hash, 9) } }],
      ["root", { ...receipt, checkpoint: { ...receipt.checkpoint, root_hash: flipBit(receipt.checkpoint.root_hash, 200) } }],
      [
        "signature",
        {
          ...receipt,
          checkpoint: {
            ...receipt.checkpoint,
            signature: btoa(String.fromCharCode(...fromBase64(receipt.checkpoint.signature).map((b, i) => (i === 10 ? b ^ 4 : b)))),
          },
        },
      ],
      ...receipt.inclusion_proof.map((_: string, i: number): [string, object] => [
        `proof[${i}]`,
        { ...receipt, inclusion_proof: receipt.inclusion_proof.map((h: string, j: number) => (i === j ? flipBit(h, 77) : h)) },
      ]),
    ];
    expect(receipt.inclusion_proof.length).toBeGreaterThan(0);
    for (const [what, tampered] of variants) expect((await verifyReceipt(tampered, key)).ok, what).toBe(false);
  });

  it("serves a record's receipt to its owner and the tenant's staff only", async () => {
    const doc = await uploadedDocument("customer1@demo.test");
    await logPendingRecords();
    const path = `/audit/receipts/${encodeURIComponent(doc.audit_record_id)}`;
    expect((await callJson(path, { token: doc.token })).status).toBe(200);
    expect((await callJson(path, { token: await login("agent1@demo.test") })).status).toBe(200);
    expect((await callJson(path, { token: await login("customer2@demo.test") })).status).toBe(404);
    expect((await callJson(path, { token: await login("manager@acme.test") })).status).toBe(404);
    expect((await callJson(path)).status).toBe(401);
  });

  it("validates the document hash and answers unknown ones with 404", async () => {
    expect((await receiptByHash("abc")).status).toBe(400);
    expect((await receiptByHash("0".repeat(64))).status).toBe(404);
  });
});

describe("checkpoints and consistency", () => {
  it("publishes the latest signed checkpoint and the key that signed it", async () => {
    await uploadedDocument();
    await logPendingRecords();
    const { body: checkpoint } = await callJson("/audit/checkpoint");
    const { body: key } = await callJson("/audit/public-key");
    expect(key).toMatchObject({ algorithm: "Ed25519", key_id: checkpoint.key_id, origin: checkpoint.origin });
    const publicKey = await crypto.subtle.importKey("raw", fromBase64(key.public_key), { name: "Ed25519" }, false, ["verify"]);
    expect(
      await crypto.subtle.verify(
        { name: "Ed25519" },
        publicKey,
        fromBase64(checkpoint.signature),
        new TextEncoder().encode(checkpoint.body),
      ),
    ).toBe(true);
  });

  it("proves every checkpoint consistent with every later one", async () => {
    const sizes: number[] = [];
    for (let i = 0; i < 4; i++) {
      await uploadedDocument();
      await logPendingRecords();
      sizes.push((await auditLog().latestCheckpoint())!.tree_size);
    }
    for (const from of sizes) {
      for (const to of sizes.filter((s) => s >= from)) {
        const { status, body } = await callJson(`/audit/consistency?from=${from}&to=${to}`);
        expect(status).toBe(200);
        const [a, b] = [await auditLog().checkpointAt(from), await auditLog().checkpointAt(to)];
        expect(verifyConsistency(from, to, a!.root_hash, b!.root_hash, body.proof), `${from}→${to}`).toBe(true);
        if (from < to && body.proof.length)
          expect(verifyConsistency(from, to, a!.root_hash, b!.root_hash, [flipBit(body.proof[0]), ...body.proof.slice(1)])).toBe(false);
      }
    }
  });

  it("rejects impossible consistency ranges with 400", async () => {
    const size = await auditLog().size();
    for (const query of ["from=0&to=1", "from=3&to=2", "from=a&to=2", `from=1&to=${size + 5}`]) {
      const { status, body } = await callJson(`/audit/consistency?${query}`);
      expect(status, query).toBe(400);
      expect(body.error.code).toBe("validation_error");
    }
  });
});

describe("blockchain routes", () => {
  it("looks an anchor up by its Thronos tx id and by its root", async () => {
    const { receipt } = await anchoredReceipt();
    const token = await login("manager@demo.test");
    for (const key of [receipt.anchor.tx_id, receipt.anchor.anchored_root]) {
      const { status, body } = await callJson(`/blockchain/verify/${key}`, { token });
      expect(status).toBe(200);
      expect(body).toMatchObject({
        tx_hash: receipt.anchor.tx_id,
        status: "confirmed",
        anchored_root: receipt.anchor.anchored_root,
        tree_size: receipt.anchor.anchored_tree_size,
      });
    }
    expect((await callJson("/blockchain/verify/VERIFY-NOPE", { token })).status).toBe(404);
  });

  it("stores a submitted verification's record once, however often it is asked", async () => {
    const t = await newTenant({ customers: 1 });
    const customer = t.customers[0]!;
    const created = await callJson("/verifications", { token: customer.token, json: { user_info: { name: customer.name } } });
    await uploadDocument(customer.token, created.body.id);
    const early = await callJson("/blockchain/store-verification", { token: customer.token, json: { verification_id: created.body.id } });
    expect(early.status).toBe(409);
    expect((await callJson(`/verifications/${created.body.id}/submit`, { token: customer.token, method: "POST" })).status).toBe(200);
    const stored = await callJson("/blockchain/store-verification", { token: t.manager.token, json: { verification_id: created.body.id } });
    expect(stored.status).toBe(202);
    expect(stored.body).toEqual({ status: "queued", record_id: `verification:${created.body.id}:submitted` });
    await callJson("/blockchain/store-verification", { token: t.manager.token, json: { verification_id: created.body.id } });
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_records WHERE subject_id = ?")
      .bind(created.body.id)
      .first<{ n: number }>();
    expect(rows!.n).toBe(1);
  });

  it("reports the risk score stored at submit", async () => {
    const t = await newTenant({ customers: 1 });
    const customer = t.customers[0]!;
    const created = await callJson("/verifications", { token: customer.token, json: {} });
    await uploadDocument(customer.token, created.body.id);
    await callJson(`/verifications/${created.body.id}/submit`, { token: customer.token, method: "POST" });
    const risk = await callJson(`/blockchain/ai/risk-score/${created.body.id}`, { token: t.manager.token });
    expect(risk.status).toBe(200);
    // What submit stored (staff see it on the verification; the customer's answer carries none of it).
    const stored = (await callJson(`/verifications/${created.body.id}`, { token: t.manager.token })).body.fraud_analysis;
    const { fraud_score, risk_level, flags, risk_source } = stored;
    expect(risk.body).toEqual({ fraud_score, risk_level, flags, risk_source });
    expect(typeof fraud_score).toBe("number");
  });
});
