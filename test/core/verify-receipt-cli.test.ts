import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkpointBody, consistencyProof, inclusionProof, leafHash, nodesCompletedBy, rootAt, toHex } from "../../merkle/index.js";

// Runs `node scripts/verify-receipt.ts` as an auditor would, on receipts written to a temp dir.
// The VerifyID API and the Thronos node are stood in for by one server on loopback.

const ROOT = join(import.meta.dirname, "../..");
const ORIGIN = "verifyid.test/audit";
const SIZE = 11;
const ANCHORED_SIZE = 7;
const dir = mkdtempSync(join(tmpdir(), "verify-receipt-"));

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs the CLI without blocking this process, which also serves the fake endpoints. */
function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["scripts/verify-receipt.ts", ...args], { cwd: ROOT, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr });
    });
  });
}

function writeReceipt(name: string, receipt: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(receipt, null, 2));
  return path;
}

/** A signed log of SIZE records with a receipt for leaf 3, anchored at ANCHORED_SIZE. */
async function signedLog() {
  const keys = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const publicKey = Buffer.from((await crypto.subtle.exportKey("raw", keys.publicKey)) as ArrayBuffer).toString("base64");
  const nodes = new Map<string, Uint8Array>();
  const nodeAt = (level: number, index: number) => nodes.get(`${level}/${index}`)!;
  const records = Array.from({ length: SIZE }, (_, i) =>
    new TextEncoder().encode(JSON.stringify({ salt: `salt-${i}`, document_hash: toHex(leafHash(Uint8Array.of(i))) })),
  );
  records.forEach((record, index) => {
    for (const node of nodesCompletedBy(index, leafHash(record), nodeAt)) nodes.set(`${node.level}/${node.index}`, node.hash);
  });
  const root = rootAt(SIZE, nodeAt);
  const body = checkpointBody(ORIGIN, SIZE, root);
  const signature = Buffer.from(await crypto.subtle.sign({ name: "Ed25519" }, keys.privateKey, new TextEncoder().encode(body))).toString(
    "base64",
  );
  const index = 3;
  const receipt = {
    version: "verifyid-receipt/v1",
    leaf: {
      record_id: "rec-3",
      kind: "document",
      data: Buffer.from(records[index]!).toString("base64"),
      leaf_hash: toHex(leafHash(records[index]!)),
      index,
    },
    inclusion_proof: inclusionProof(index, SIZE, nodeAt).map(toHex),
    checkpoint: {
      origin: ORIGIN,
      tree_size: SIZE,
      root_hash: toHex(root),
      timestamp: "2026-01-01T00:00:00Z",
      body,
      signature,
      key_id: "a1b2c3d4",
    },
    anchor: {
      status: "confirmed",
      tx_id: "VERIFY-CHECKPOINT-1767225600-0badcafe",
      block_height: 42,
      anchored_tree_size: ANCHORED_SIZE,
      anchored_root: toHex(rootAt(ANCHORED_SIZE, nodeAt)),
    },
  };
  // The same leaf's receipt as it was when the log had ANCHORED_SIZE leaves (for --since).
  const earlierRoot = rootAt(ANCHORED_SIZE, nodeAt);
  const earlierBody = checkpointBody(ORIGIN, ANCHORED_SIZE, earlierRoot);
  const earlierSignature = Buffer.from(
    await crypto.subtle.sign({ name: "Ed25519" }, keys.privateKey, new TextEncoder().encode(earlierBody)),
  ).toString("base64");
  const earlier = {
    ...receipt,
    inclusion_proof: inclusionProof(index, ANCHORED_SIZE, nodeAt).map(toHex),
    checkpoint: {
      ...receipt.checkpoint,
      tree_size: ANCHORED_SIZE,
      root_hash: toHex(earlierRoot),
      body: earlierBody,
      signature: earlierSignature,
    },
  };
  return { publicKey, receipt, earlier, consistency: consistencyProof(ANCHORED_SIZE, SIZE, nodeAt).map(toHex) };
}

const log = await signedLog();
const onChain = new Set([log.receipt.anchor.anchored_root]);
let server: Server;
let url = "";

beforeAll(async () => {
  server = createServer((request, response) => {
    const { pathname, searchParams } = new URL(request.url ?? "/", "http://localhost");
    const answer = (body: unknown) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (pathname === "/api/v1/audit/public-key")
      return answer({ algorithm: "Ed25519", public_key: log.publicKey, key_id: "a1b2c3d4", origin: ORIGIN });
    if (pathname === "/api/v1/audit/consistency") {
      const [from, to] = [Number(searchParams.get("from")), Number(searchParams.get("to"))];
      return answer({ from, to, proof: from === ANCHORED_SIZE && to === SIZE ? log.consistency : [] });
    }
    if (pathname === "/api/chain/hash/verify") {
      const hash = searchParams.get("hash") ?? "";
      return answer(
        onChain.has(hash)
          ? { ok: true, verified: true, tx_id: log.receipt.anchor.tx_id, block_height: 42, hash_type: "checkpoint" }
          : { ok: true, verified: false, message: "Hash not found on blockchain" },
      );
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("verify-receipt CLI", { timeout: 30_000 }, () => {
  it("exits 0 and prints one ✓ line per check for a genuine receipt", async () => {
    const run = await cli(writeReceipt("genuine.json", log.receipt), "--public-key", log.publicKey);
    expect(run.code).toBe(0);
    for (const check of ["leaf hash", "inclusion", "checkpoint body", "signature"])
      expect(run.stdout).toMatch(new RegExp(`^✓ ${check}:`, "m"));
    expect(run.stdout).not.toMatch(/^✗/m);
  });

  it("exits 1 when a bit of the leaf data is flipped", async () => {
    const data = Buffer.from(log.receipt.leaf.data, "base64");
    data[0]! ^= 1;
    const run = await cli(
      writeReceipt("tampered.json", { ...log.receipt, leaf: { ...log.receipt.leaf, data: data.toString("base64") } }),
      "--public-key",
      log.publicKey,
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✗ leaf hash:/m);
    expect(run.stdout).toMatch(/^✓ signature:/m);
  });

  it("exits 1 for another log's key", async () => {
    const other = Buffer.alloc(32, 7).toString("base64");
    const run = await cli(writeReceipt("genuine.json", log.receipt), "--public-key", other);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✗ signature:/m);
  });

  it("exits 2 when the receipt file is missing", async () => {
    const run = await cli(join(dir, "missing.json"), "--public-key", log.publicKey);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot read .*missing\.json/);
  });

  it("exits 2 on bad usage or unreadable input", async () => {
    const genuine = writeReceipt("genuine.json", log.receipt);
    writeFileSync(join(dir, "broken.json"), "{ not json");
    for (const args of [
      [],
      [genuine],
      [genuine, "--public-key", "short"],
      [genuine, "--public-key", log.publicKey, "--bogus"],
      [join(dir, "broken.json"), "--public-key", log.publicKey],
    ]) {
      const run = await cli(...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^verify-receipt: /);
    }
  });

  it("fetches the key from the server, checks the anchor on the node and links it by a consistency proof", async () => {
    const run = await cli(writeReceipt("genuine.json", log.receipt), "--server", url, "--node", url);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^✓ origin:/m);
    expect(run.stdout).toMatch(/^✓ anchor: root [0-9a-f]{64} is on the chain/m);
    expect(run.stdout).toMatch(/^✓ anchor link: the tree of 7 leaves is a prefix of the tree of 11 leaves/m);
  });

  it("proves with --since that the log only grew since an earlier receipt, and fails a rewritten one", async () => {
    const earlier = writeReceipt("earlier.json", log.earlier);
    const run = await cli(writeReceipt("genuine.json", log.receipt), "--server", url, "--since", earlier);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^✓ since: the earlier receipt \(tree size 7\) verifies/m);
    expect(run.stdout).toMatch(/^✓ consistency: the tree of 7 leaves \(earlier receipt\) is a prefix of the tree of 11 leaves/m);
    const forged = { ...log.earlier, checkpoint: { ...log.earlier.checkpoint, root_hash: "cd".repeat(32) } };
    const bad = await cli(writeReceipt("genuine.json", log.receipt), "--server", url, "--since", writeReceipt("forged.json", forged));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^✗ consistency:/m);
  });

  it("reports an anchor at another tree size as not linked without --server", async () => {
    const run = await cli(writeReceipt("genuine.json", log.receipt), "--public-key", log.publicKey, "--node", url);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^– anchor link: not linked/m);
  });

  it("exits 1 when the anchored root is not on the chain or not consistent with the checkpoint", async () => {
    const unknownRoot = "ab".repeat(32);
    const offChain = await cli(
      writeReceipt("off-chain.json", { ...log.receipt, anchor: { ...log.receipt.anchor, anchored_root: unknownRoot } }),
      "--server",
      url,
      "--node",
      url,
    );
    expect(offChain.code).toBe(1);
    expect(offChain.stdout).toMatch(/^✗ anchor: root (ab){32} is not on the chain/m);
    expect(offChain.stdout).toMatch(/^✗ anchor link:/m);
  });

  it("uses the receipt's node_url when no --node is given", async () => {
    const run = await cli(
      writeReceipt("node-url.json", { ...log.receipt, anchor: { ...log.receipt.anchor, node_url: url } }),
      "--server",
      url,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^✓ anchor: .* at ${url.replace(/[.]/g, "\\.")}`, "m"));
  });
});
