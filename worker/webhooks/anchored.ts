// `verification.anchored`: once an anchor is confirmed, one event per verification whose
// records it newly put on the Thronos chain. Event ids are per verification and tree size, so
// a redelivered anchor message (the consumer emits before it acks) records nothing twice.
import { recordsNewlyAnchored } from "../db/webhooks.ts";
import { anchoredEvent, emitEvents, type WebhookEvent } from "./events.ts";

export async function emitAnchoredEvents(env: Env, anchorId: string): Promise<void> {
  const rows = await recordsNewlyAnchored(env.DB, anchorId);
  const byVerification = new Map<string, typeof rows>();
  for (const row of rows) {
    if (!row.verification_id) continue;
    byVerification.set(row.verification_id, [...(byVerification.get(row.verification_id) ?? []), row]);
  }
  const events: WebhookEvent[] = [];
  for (const [verificationId, records] of byVerification) {
    const first = records[0]!;
    events.push(
      anchoredEvent({
        tenantId: first.tenant_id,
        verificationId,
        treeSize: first.tree_size,
        rootHash: first.root_hash,
        txId: first.tx_id,
        recordIds: records.map((r) => r.record_id),
        at: first.confirmed_at,
      }),
    );
  }
  // D1 batches stay well below their statement limit.
  for (let i = 0; i < events.length; i += 50) await emitEvents(env, events.slice(i, i + 50));
}
