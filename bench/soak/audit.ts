// The soak's audit checks, as an outside auditor makes them through the public routes (API.md,
// "Blockchain and audit") and the verifyid/merkle code: checkpoints signed and consistent with
// the last one, every record's receipt verified offline, every anchor confirmed.
import { parseCheckpointBody, verifyConsistency, verifyReceipt } from "../../merkle/index.js";
import { inParallel, type Answer, type Json } from "../lib/api.ts";

export type Checkpoint = { origin: string; tree_size: number; root_hash: string; body: string; signature: string; key_id: string };

type Call = (path: string, init?: { token?: string }) => Promise<Answer>;

/** The checkpoint's body states its size and root, and the log's key signed the body. */
export async function checkpointSigned(checkpoint: Checkpoint, publicKeyBase64: string): Promise<boolean> {
  const head = parseCheckpointBody(checkpoint.body);
  if (!head || head.treeSize !== checkpoint.tree_size || head.rootHash !== checkpoint.root_hash.toLowerCase()) return false;
  try {
    const key = await crypto.subtle.importKey("raw", Buffer.from(publicKeyBase64, "base64"), { name: "Ed25519" }, false, ["verify"]);
    return await crypto.subtle.verify(
      { name: "Ed25519" },
      key,
      Buffer.from(checkpoint.signature, "base64"),
      new TextEncoder().encode(checkpoint.body),
    );
  } catch {
    return false;
  }
}

/** The tree of `from` is a prefix of the tree of `to`, by the log's own consistency proof (RFC 9162 §2.1.4.2). */
export async function consistent(call: Call, from: Checkpoint, to: Checkpoint): Promise<boolean> {
  if (from.tree_size === to.tree_size) return from.root_hash === to.root_hash;
  const answer = await call(`/audit/consistency?from=${from.tree_size}&to=${to.tree_size}`);
  if (answer.status !== 200 || !Array.isArray(answer.body.proof)) return false;
  return verifyConsistency(from.tree_size, to.tree_size, from.root_hash, to.root_hash, answer.body.proof as string[]);
}

export type ReceiptCheck = {
  checked: number;
  verified: number;
  /** Records whose receipt is missing, does not verify, or names another leaf. */
  failed: { recordId: string; why: string }[];
  /** Anchor status → receipts. */
  anchors: Record<string, number>;
  /** The distinct checkpoints the receipts were proven against (anchored ones, mostly). */
  checkpoints: Checkpoint[];
};

/** Fetches every record's receipt (as staff of the tenant) and verifies it offline. */
export async function checkReceipts(
  call: Call,
  token: string,
  records: { recordId: string; leafIndex: number | null }[],
  publicKeyBase64: string,
): Promise<ReceiptCheck> {
  const out: ReceiptCheck = { checked: 0, verified: 0, failed: [], anchors: {}, checkpoints: [] };
  const bySize = new Map<number, Checkpoint>();
  await inParallel(records, 4, async ({ recordId, leafIndex }) => {
    out.checked++;
    const answer = await call(`/audit/receipts/${encodeURIComponent(recordId)}`, { token }).catch(() => null);
    if (answer?.status !== 200) return void out.failed.push({ recordId, why: `receipt answered ${answer?.status ?? "nothing"}` });
    const receipt = answer.body as Json;
    const verification = await verifyReceipt(receipt, publicKeyBase64);
    const why = [
      ...verification.errors,
      ...(receipt.leaf?.record_id !== recordId ? [`the receipt is for ${receipt.leaf?.record_id}`] : []),
      ...(leafIndex !== null && receipt.leaf?.index !== leafIndex
        ? [`leaf ${receipt.leaf?.index}, the verification lists ${leafIndex}`]
        : []),
    ];
    if (why.length) out.failed.push({ recordId, why: why.join("; ") });
    else out.verified++;
    const status = String(receipt.anchor?.status ?? "missing");
    out.anchors[status] = (out.anchors[status] ?? 0) + 1;
    bySize.set(receipt.checkpoint.tree_size, receipt.checkpoint as Checkpoint);
  });
  out.checkpoints = [...bySize.values()].sort((a, b) => a.tree_size - b.tree_size);
  return out;
}

/** Roots the local node's chain holds more than once (a checkpoint anchored twice). */
export function rootsOnChainTwice(chain: { hash: string; hash_type: string }[]): string[] {
  const seen = new Map<string, number>();
  for (const r of chain) if (r.hash_type === "checkpoint") seen.set(r.hash, (seen.get(r.hash) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([hash]) => hash);
}
