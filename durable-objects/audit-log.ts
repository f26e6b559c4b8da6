// AuditLog: the single sequencer of the append-only audit log (RFC 6962 Merkle tree). It
// assigns leaf indices, stores the hashes of perfect subtrees (so every root and proof
// touches O(log n) rows), signs a checkpoint after each batch, and hands roots to the
// anchoring queue at most once per interval. Leaves are never rewritten: an append with a
// known record id returns the leaf it already has. An erasure may *redact* a leaf: its stored
// input (and with it the salt) is dropped, its hash and every tree node stay, so sizes, roots,
// checkpoints and proofs are unchanged (README "Data lifecycle").
import { DurableObject } from "cloudflare:workers";
import { checkpointBody, consistencyProof, inclusionProof, leafHash, nodesCompletedBy, rootAt, toHex } from "../merkle/index.js";
import { planAnchor } from "../worker/audit/anchoring.ts";
import { configFrom } from "../worker/config.ts";
import { sign, signingKey } from "../worker/audit/signing.ts";
import { fromBase64 } from "../worker/encoding.ts";
import type { Checkpoint } from "../worker/schemas/receipts.ts";

export type LeafInput = { recordId: string; kind: string; data: string };
export type AppendResult = { recordId: string; index: number; leafHash: string; duplicate: boolean };
export type StoredLeaf = { record_id: string; kind: string; data: string; leaf_hash: string; index: number };
export type AnchorRequest = { tree_size: number; root_hash: string };

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS leaves (idx INTEGER PRIMARY KEY, record_id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, data TEXT NOT NULL, leaf_hash TEXT NOT NULL, appended_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx));
  CREATE TABLE IF NOT EXISTS checkpoints (tree_size INTEGER PRIMARY KEY, origin TEXT NOT NULL, root_hash TEXT NOT NULL, timestamp TEXT NOT NULL, body TEXT NOT NULL, signature TEXT NOT NULL, key_id TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

const CHECKPOINT_COLUMNS = "origin, tree_size, root_hash, timestamp, body, signature, key_id";

export class AuditLog extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
  }

  private meta(key: string): number | null {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row ? Number(row.value) : null;
  }

  private setMeta(key: string, value: number) {
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, String(value));
  }

  private readonly nodeAt = (level: number, index: number): Uint8Array => {
    const row = this.sql.exec<{ hash: ArrayBuffer }>("SELECT hash FROM nodes WHERE level = ? AND idx = ?", level, index).toArray()[0];
    if (!row) throw new Error(`missing tree node ${level}/${index}`);
    return new Uint8Array(row.hash);
  };

  /** The number of leaves. */
  async size(): Promise<number> {
    return this.treeSize();
  }

  /** Kept in meta, updated with every leaf: counting the leaves would cost O(n) per append. */
  private treeSize(): number {
    return this.meta("size") ?? this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM leaves").one().n;
  }

  /** Appends records in order (known record ids are not appended again) and signs a checkpoint. */
  async append(records: LeafInput[]): Promise<{ results: AppendResult[]; checkpoint: Checkpoint | null }> {
    const results: AppendResult[] = [];
    const now = Date.now();
    this.ctx.storage.transactionSync(() => {
      for (const record of records) {
        const existing = this.sql
          .exec<{ idx: number; leaf_hash: string }>("SELECT idx, leaf_hash FROM leaves WHERE record_id = ?", record.recordId)
          .toArray()[0];
        if (existing) {
          results.push({ recordId: record.recordId, index: existing.idx, leafHash: existing.leaf_hash, duplicate: true });
          continue;
        }
        const index = this.treeSize();
        const hash = leafHash(fromBase64(record.data));
        this.sql.exec(
          "INSERT INTO leaves (idx, record_id, kind, data, leaf_hash, appended_at) VALUES (?, ?, ?, ?, ?, ?)",
          index,
          record.recordId,
          record.kind,
          record.data,
          toHex(hash),
          now,
        );
        for (const node of nodesCompletedBy(index, hash, this.nodeAt)) {
          this.sql.exec("INSERT INTO nodes (level, idx, hash) VALUES (?, ?, ?)", node.level, node.index, node.hash);
        }
        this.setMeta("size", index + 1);
        results.push({ recordId: record.recordId, index, leafHash: toHex(hash), duplicate: false });
      }
    });
    // Signed whenever the tree is ahead of the latest checkpoint: also when a retried batch finds
    // its leaves committed by an attempt that died before signing them.
    const latest = await this.latestCheckpoint();
    const size = this.treeSize();
    const checkpoint = size === 0 || latest?.tree_size === size ? latest : await this.signCheckpoint(now);
    await this.planAnchoring();
    return { results, checkpoint };
  }

  private async signCheckpoint(now: number): Promise<Checkpoint> {
    const size = this.treeSize();
    const config = configFrom(this.env).audit;
    const key = await signingKey(this.env.AUDIT_SIGNING_KEY, config.origin);
    const root = rootAt(size, this.nodeAt);
    const body = checkpointBody(config.origin, size, root);
    const checkpoint: Checkpoint = {
      origin: config.origin,
      tree_size: size,
      root_hash: toHex(root),
      timestamp: new Date(now).toISOString(),
      body,
      signature: await sign(key, body),
      key_id: key.keyId,
    };
    this.sql.exec(
      "INSERT OR IGNORE INTO checkpoints (tree_size, origin, root_hash, timestamp, body, signature, key_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
      checkpoint.tree_size,
      checkpoint.origin,
      checkpoint.root_hash,
      checkpoint.timestamp,
      checkpoint.body,
      checkpoint.signature,
      checkpoint.key_id,
    );
    return checkpoint;
  }

  /** The newest signed checkpoint, or null for an empty log. */
  async latestCheckpoint(): Promise<Checkpoint | null> {
    return this.sql.exec<Checkpoint>(`SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints ORDER BY tree_size DESC LIMIT 1`).toArray()[0] ?? null;
  }

  /** The checkpoint signed at exactly `treeSize`, if one was. */
  async checkpointAt(treeSize: number): Promise<Checkpoint | null> {
    return this.sql.exec<Checkpoint>(`SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints WHERE tree_size = ?`, treeSize).toArray()[0] ?? null;
  }

  /** The leaf at `index`, or null. */
  async leaf(index: number): Promise<StoredLeaf | null> {
    const row = this.sql
      .exec<{ idx: number; record_id: string; kind: string; data: string; leaf_hash: string }>("SELECT * FROM leaves WHERE idx = ?", index)
      .toArray()[0];
    return row ? { record_id: row.record_id, kind: row.kind, data: row.data, leaf_hash: row.leaf_hash, index: row.idx } : null;
  }

  /** The leaf for a record id, or null when it is not (yet) in the log. */
  async leafOf(recordId: string): Promise<StoredLeaf | null> {
    const row = this.sql.exec<{ idx: number }>("SELECT idx FROM leaves WHERE record_id = ?", recordId).toArray()[0];
    return row ? this.leaf(row.idx) : null;
  }

  /** Drops the stored input of these records' leaves (erasure); returns their indices. The
   * leaf hashes stay: the tree, its checkpoints and every proof are untouched. Idempotent. */
  async redact(recordIds: string[]): Promise<number[]> {
    const indices: number[] = [];
    this.ctx.storage.transactionSync(() => {
      for (const recordId of recordIds) {
        const row = this.sql.exec<{ idx: number }>("SELECT idx FROM leaves WHERE record_id = ?", recordId).toArray()[0];
        if (!row) continue;
        this.sql.exec("UPDATE leaves SET data = '' WHERE idx = ?", row.idx);
        indices.push(row.idx);
      }
    });
    return indices.sort((a, b) => a - b);
  }

  /** Audit path of leaf `index` in the tree of `treeSize` leaves (hex). */
  async inclusion(index: number, treeSize: number): Promise<string[]> {
    if (!(index >= 0 && index < treeSize && treeSize <= this.treeSize())) throw new RangeError("index or tree size out of range");
    return inclusionProof(index, treeSize, this.nodeAt).map(toHex);
  }

  /** Consistency proof between the trees of `from` and `to` leaves (hex). */
  async consistency(from: number, to: number): Promise<string[]> {
    if (!(from >= 0 && from <= to && to <= this.treeSize())) throw new RangeError("sizes out of range");
    return consistencyProof(from, to, this.nodeAt).map(toHex);
  }

  /** Root hash (hex) of the first `treeSize` leaves. */
  async rootAt(treeSize: number): Promise<string> {
    return toHex(rootAt(treeSize, this.nodeAt));
  }

  // ---- anchoring --------------------------------------------------------------------------

  private async planAnchoring(now = Date.now()) {
    const config = configFrom(this.env).audit;
    const plan = planAnchor(
      { treeSize: this.treeSize(), requestedSize: this.meta("anchorRequestedSize") ?? 0, requestedAt: this.meta("anchorRequestedAt") },
      now,
      config.anchor,
    );
    if (plan.anchorNow) await this.requestAnchor(now);
    else if (plan.nextCheckAt !== null) {
      const current = await this.ctx.storage.getAlarm();
      if (current === null || current > plan.nextCheckAt) await this.ctx.storage.setAlarm(plan.nextCheckAt);
    }
  }

  /** Hands the latest checkpoint's root to the anchoring queue. */
  private async requestAnchor(now: number) {
    const checkpoint = await this.latestCheckpoint();
    if (!checkpoint) return;
    const request: AnchorRequest = { tree_size: checkpoint.tree_size, root_hash: checkpoint.root_hash };
    await this.env.ANCHOR_QUEUE.send(request);
    this.setMeta("anchorRequestedSize", checkpoint.tree_size);
    this.setMeta("anchorRequestedAt", now);
  }

  /** Asks for an anchor of the latest checkpoint now (the cron's catch-up after failures). */
  async reanchor(): Promise<AnchorRequest | null> {
    const checkpoint = await this.latestCheckpoint();
    if (!checkpoint) return null;
    await this.requestAnchor(Date.now());
    return { tree_size: checkpoint.tree_size, root_hash: checkpoint.root_hash };
  }

  override async alarm() {
    // An alarm means the interval has passed; anchor what waits (an early test-run alarm too).
    const requestedAt = this.meta("anchorRequestedAt");
    const interval = configFrom(this.env).audit.anchor.intervalSeconds * 1000;
    await this.planAnchoring(Math.max(Date.now(), requestedAt === null ? 0 : requestedAt + interval));
  }
}
