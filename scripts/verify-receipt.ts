// `npm run verify-receipt -- receipt.json [--public-key <base64> | --server <url>] [--node <url>] [--since <earlier.json>]`:
// checks an audit receipt the way an outside auditor would, using the same verifyid/merkle code
// that the log runs. Everything but the anchor is checked offline; the anchor needs a Thronos
// node, and linking an anchor made at another tree size needs a consistency proof from the server.
// `--since` takes a receipt kept from earlier and proves the log only grew since: the earlier
// checkpoint's tree is a prefix of this one's (a consistency proof from the server), e.g. across
// an erasure (README "Data lifecycle").
// Exit codes: 0 every check that could run passed, 1 a check failed, 2 bad usage or unreadable input.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { RECEIPT_VERSION, verifyConsistency, verifyReceipt } from "../merkle/index.js";

const USAGE =
  "usage: npm run verify-receipt -- <receipt.json> [--public-key <base64> | --server <VerifyID API base URL>] [--node <Thronos node base URL>] [--since <earlier receipt.json>]";
const TIMEOUT_MS = 10_000;
const ED25519_KEY_BASE64 = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

type Json = Record<string, unknown>;
type Outcome = "pass" | "fail" | "skip";

/** Bad usage or input we cannot read: exit 2, before any check ran. */
class UsageError extends Error {}

const outcomes: Outcome[] = [];

/** One line per check: ✓ passed, ✗ failed, – could not run (does not fail the run). */
function report(outcome: Outcome, what: string): void {
  outcomes.push(outcome);
  console.log(`${{ pass: "✓", fail: "✗", skip: "–" }[outcome]} ${what}`);
}

function object(value: unknown): Json {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function baseUrl(url: string): string {
  return url.replace(/\/+$/, "");
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return response.json();
}

function readReceipt(path: string): Json {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new UsageError(`${path} is not a receipt (expected a JSON object)`);
  return parsed as Json;
}

/** The log's public key and, from the server, what it says about its own log. */
async function publicKeyFrom(
  flag: string | undefined,
  server: string | undefined,
): Promise<{ key: string; keyId?: unknown; origin?: unknown }> {
  if (flag !== undefined) {
    if (!ED25519_KEY_BASE64.test(flag)) throw new UsageError("--public-key must be the base64 of a raw 32-byte Ed25519 key");
    return { key: flag };
  }
  if (server === undefined) throw new UsageError("give the log's key with --public-key, or --server to fetch it");
  let answer: Json;
  try {
    answer = object(await getJson(`${server}/api/v1/audit/public-key`));
  } catch (error) {
    throw new UsageError(`cannot fetch the public key from ${server}: ${(error as Error).message}`);
  }
  if (answer.algorithm !== "Ed25519" || typeof answer.public_key !== "string") {
    throw new UsageError(`${server}/api/v1/audit/public-key did not return an Ed25519 public key`);
  }
  console.log(`  public key ${answer.public_key} (key id ${String(answer.key_id)}) from ${server}`);
  return { key: answer.public_key, keyId: answer.key_id, origin: answer.origin };
}

/** Is the anchored root on the chain, and is it this checkpoint's tree or a prefix/extension of it? */
async function checkAnchor(anchor: Json, checkpoint: Json, nodeFlag: string | undefined, server: string | undefined): Promise<void> {
  const root = anchor.anchored_root;
  if (typeof root !== "string") {
    report("skip", `anchor: not checked (status ${String(anchor.status ?? "missing")}, no anchored root yet)`);
    return;
  }
  const nodeUrl = nodeFlag ?? (typeof anchor.node_url === "string" ? anchor.node_url : undefined);
  if (nodeUrl === undefined) {
    report("skip", "anchor: not checked (no --node and no anchor.node_url)");
  } else {
    const node = baseUrl(nodeUrl);
    try {
      const answer = object(await getJson(`${node}/api/chain/hash/verify?hash=${encodeURIComponent(root.toLowerCase())}`));
      if (answer.status === "syncing") {
        report("skip", `anchor: not checked (${node} is a replica still syncing; try the master)`);
      } else if (answer.ok !== true || answer.verified !== true) {
        report("fail", `anchor: root ${root} is not on the chain at ${node}`);
      } else if (typeof anchor.tx_id === "string" && answer.tx_id !== anchor.tx_id) {
        report("fail", `anchor: root ${root} is on the chain at ${node}, but in transaction ${String(answer.tx_id)}, not ${anchor.tx_id}`);
      } else {
        report(
          "pass",
          `anchor: root ${root} is on the chain at ${node} (tx ${String(answer.tx_id)}, block ${String(answer.block_height)})`,
        );
      }
    } catch (error) {
      report("skip", `anchor: not checked (${(error as Error).message})`);
    }
  }
  await linkAnchor(root, anchor.anchored_tree_size, checkpoint, server);
}

/** Ties the anchored root to the checkpoint: the same tree, or consistent trees of two sizes. */
async function linkAnchor(anchoredRoot: string, anchoredSize: unknown, checkpoint: Json, server: string | undefined): Promise<void> {
  const size = checkpoint.tree_size;
  const root = typeof checkpoint.root_hash === "string" ? checkpoint.root_hash.toLowerCase() : "";
  if (anchoredSize === size || (anchoredSize === undefined && anchoredRoot.toLowerCase() === root)) {
    const same = anchoredRoot.toLowerCase() === root;
    report(
      same ? "pass" : "fail",
      `anchor link: the anchored root ${same ? "is" : "is not"} the checkpoint's root at tree size ${String(size)}`,
    );
    return;
  }
  if (typeof anchoredSize !== "number" || typeof size !== "number") {
    report("skip", "anchor link: not linked (the receipt does not say which tree size was anchored)");
    return;
  }
  if (server === undefined) {
    report(
      "skip",
      `anchor link: not linked (anchored tree size ${anchoredSize} ≠ checkpoint tree size ${size}; pass --server to fetch a consistency proof)`,
    );
    return;
  }
  const [from, to] = anchoredSize < size ? [anchoredSize, size] : [size, anchoredSize];
  const [fromRoot, toRoot] = anchoredSize < size ? [anchoredRoot, root] : [root, anchoredRoot];
  let answer: Json;
  try {
    answer = object(await getJson(`${server}/api/v1/audit/consistency?from=${from}&to=${to}`));
  } catch (error) {
    report("skip", `anchor link: not linked (${(error as Error).message})`);
    return;
  }
  const proof = Array.isArray(answer.proof) && answer.proof.every((hash) => typeof hash === "string") ? (answer.proof as string[]) : [];
  const consistent = answer.from === from && answer.to === to && verifyConsistency(from, to, fromRoot, toRoot, proof);
  report(
    consistent ? "pass" : "fail",
    `anchor link: the tree of ${from} leaves ${consistent ? "is" : "is not proven to be"} a prefix of the tree of ${to} leaves (consistency proof from ${server})`,
  );
}

/** The log only grew since an earlier receipt: that receipt verifies, and its checkpoint's tree is
 * a prefix of this checkpoint's tree. */
async function checkSince(earlier: Json, checkpoint: Json, publicKey: string, server: string | undefined): Promise<void> {
  const before = object(earlier.checkpoint);
  const verdict = await verifyReceipt(earlier, publicKey);
  report(
    verdict.ok ? "pass" : "fail",
    `since: the earlier receipt (tree size ${String(before.tree_size)}) ${verdict.ok ? "verifies" : `does not verify: ${verdict.errors.join("; ")}`}`,
  );
  const [from, to] = [before.tree_size, checkpoint.tree_size];
  const [fromRoot, toRoot] = [String(before.root_hash ?? "").toLowerCase(), String(checkpoint.root_hash ?? "").toLowerCase()];
  if (typeof from !== "number" || typeof to !== "number" || from > to) {
    report("fail", `consistency: the earlier checkpoint (tree size ${String(from)}) is not earlier than this one (${String(to)})`);
    return;
  }
  if (from === to) {
    report(
      fromRoot === toRoot ? "pass" : "fail",
      `consistency: both checkpoints are of ${to} leaves and ${fromRoot === toRoot ? "have" : "do not have"} the same root`,
    );
    return;
  }
  if (server === undefined) {
    report("skip", "consistency: not checked (pass --server to fetch a consistency proof)");
    return;
  }
  let answer: Json;
  try {
    answer = object(await getJson(`${server}/api/v1/audit/consistency?from=${from}&to=${to}`));
  } catch (error) {
    report("skip", `consistency: not checked (${(error as Error).message})`);
    return;
  }
  const proof = Array.isArray(answer.proof) && answer.proof.every((hash) => typeof hash === "string") ? (answer.proof as string[]) : [];
  const consistent = answer.from === from && answer.to === to && verifyConsistency(from, to, fromRoot, toRoot, proof);
  report(
    consistent ? "pass" : "fail",
    `consistency: the tree of ${from} leaves (earlier receipt) ${consistent ? "is" : "is not proven to be"} a prefix of the tree of ${to} leaves (proof from ${server})`,
  );
}

function commandLine() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        "public-key": { type: "string" },
        server: { type: "string" },
        node: { type: "string" },
        since: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function main(): Promise<number> {
  const { values, positionals } = commandLine();
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError("give exactly one receipt file");
  const receipt = readReceipt(positionals[0]!);
  const server = values.server === undefined ? undefined : baseUrl(values.server);
  const key = await publicKeyFrom(values["public-key"], server);

  const leaf = object(receipt.leaf);
  const checkpoint = object(receipt.checkpoint);
  const result = await verifyReceipt(receipt, key.key);
  const { checks } = result;
  const record = `${String(leaf.kind)} record ${String(leaf.record_id)}`;
  report(
    checks.leaf_hash ? "pass" : "fail",
    `leaf hash: SHA-256(0x00 || data) ${checks.leaf_hash ? "equals" : "does not equal"} leaf_hash ${String(leaf.leaf_hash)} (${record})`,
  );
  report(
    checks.inclusion ? "pass" : "fail",
    `inclusion: leaf ${String(leaf.index)} ${checks.inclusion ? "is" : "is not proven to be"} in the tree of ${String(checkpoint.tree_size)} leaves with root ${String(checkpoint.root_hash)}`,
  );
  report(
    checks.checkpoint_body ? "pass" : "fail",
    `checkpoint body: ${checks.checkpoint_body ? "states" : "does not state"} the checkpoint's origin (${String(checkpoint.origin)}), tree size and root`,
  );
  report(
    checks.signature ? "pass" : "fail",
    `signature: the Ed25519 signature of the checkpoint body ${checks.signature ? "is valid" : "is not valid"} for key ${String(checkpoint.key_id)}`,
  );
  if (receipt.version !== RECEIPT_VERSION) report("fail", `version: ${String(receipt.version)} is not ${RECEIPT_VERSION}`);
  if (key.origin !== undefined) {
    const same = key.origin === checkpoint.origin;
    report(
      same ? "pass" : "fail",
      `origin: the checkpoint's log ${String(checkpoint.origin)} ${same ? "is" : "is not"} the server's log ${String(key.origin)}`,
    );
  }
  if (key.keyId !== undefined && checkpoint.key_id !== key.keyId) {
    report("fail", `key id: the checkpoint names key ${String(checkpoint.key_id)}, the server's key is ${String(key.keyId)}`);
  }
  await checkAnchor(object(receipt.anchor), checkpoint, values.node, server);
  if (values.since !== undefined) await checkSince(readReceipt(values.since), checkpoint, key.key, server);
  return outcomes.includes("fail") ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof UsageError ? `verify-receipt: ${error.message}\n${USAGE}` : error);
    process.exit(2);
  },
);
