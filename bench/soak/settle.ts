// The drain's waits, each bounded by the drain's deadline: the queue empty, the audit log
// grown by every record and its newest checkpoint on the chain, every record's anchor confirmed.
import { inParallel, type Answer } from "../lib/api.ts";
import { now, sleep } from "../lib/clock.ts";
import type { Checkpoint } from "./audit.ts";
import type { ServerRecord } from "./ledger.ts";

type Call = (path: string, init?: { token?: string }) => Promise<Answer>;

/** Waits until no call is pending or live (looking at least once); what was left when it stopped waiting. */
export async function waitForEmptyQueue(call: Call, token: string, deadline: number) {
  for (;;) {
    const pending = await call("/video-calls/pending?limit=1", { token });
    const active = await call("/dashboard/active-calls", { token });
    const left = {
      pending: (pending.body.total_pending as number | undefined) ?? -1,
      active: (active.body.active_calls as unknown[] | undefined)?.length ?? -1,
    };
    if ((left.pending === 0 && left.active === 0) || now() >= deadline) return left;
    await sleep(2000);
  }
}

/** The largest tree size the local node's chain holds an anchor for. */
async function anchoredTreeSize(controlUrl: string): Promise<number> {
  const { chain } = (await (await fetch(`${controlUrl}/state`)).json()) as { chain: { metadata?: { tree_size?: number } }[] };
  return Math.max(0, ...chain.map((r) => r.metadata?.tree_size ?? 0));
}

/** Waits until the log holds `leaves` leaves and its newest checkpoint is on the chain (or the deadline passed). */
export async function waitForLog(call: Call, controlUrl: string, leaves: number, deadline: number): Promise<void> {
  while (now() < deadline) {
    const answer = await call("/audit/checkpoint");
    const last = answer.status === 200 ? (answer.body as Checkpoint) : null;
    if (last && last.tree_size >= leaves && (await anchoredTreeSize(controlUrl)) >= last.tree_size) return;
    await sleep(3000);
  }
}

export type ServerVerification = { decision: string | null; riskSource: string | null; anchors: ServerRecord[] };

/** Each verification as staff see it (`GET /verifications/{id}`), re-read until every record's anchor is confirmed. */
export async function readVerifications(call: Call, token: string, ids: string[], deadline: number) {
  const found = new Map<string, ServerVerification>();
  const read = (some: string[]) =>
    inParallel(some, 4, async (id) => {
      const answer = await call(`/verifications/${id}`, { token }).catch(() => null);
      if (answer?.status !== 200) return;
      found.set(id, {
        decision: answer.body.decision ?? null,
        riskSource: answer.body.fraud_analysis?.risk_source ?? null,
        anchors: answer.body.anchors as ServerRecord[],
      });
    });
  const unconfirmed = () => ids.filter((id) => !found.get(id)?.anchors.every((r) => r.anchor.status === "confirmed"));
  await read(ids);
  while (unconfirmed().length && now() < deadline) {
    await sleep(5000);
    await read(unconfirmed());
  }
  return found;
}
