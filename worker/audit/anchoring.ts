// When to anchor the log's root on the chain: at most once per ANCHOR_INTERVAL_SECONDS, or at
// once when ANCHOR_MAX_BATCH records wait, so a thousand records cost one node call. Pure.

export type AnchorState = {
  treeSize: number;
  /** The largest tree size already handed to the anchoring queue. */
  requestedSize: number;
  requestedAt: number | null;
};

export type AnchorPlan = { anchorNow: boolean; nextCheckAt: number | null };

export function planAnchor(state: AnchorState, now: number, config: { intervalSeconds: number; maxBatch: number }): AnchorPlan {
  const waiting = state.treeSize - state.requestedSize;
  if (waiting <= 0) return { anchorNow: false, nextCheckAt: null };
  const earliest = state.requestedAt === null ? now : state.requestedAt + config.intervalSeconds * 1000;
  if (waiting >= config.maxBatch || earliest <= now) return { anchorNow: true, nextCheckAt: null };
  return { anchorNow: false, nextCheckAt: earliest };
}
