// The soak's verdict, pure: the facts gathered after the drain become named checks, each
// passing or failing with a line that says why. The exit code is 1 when any check fails.
import type { CallLedger } from "./ledger.ts";

export type Facts = {
  /** Status code → answers, over the traffic and the checks' own requests ("0": no answer). */
  byStatus: Record<string, number>;
  calls: CallLedger;
  /** Pending and live calls once the customers were done. */
  queueLeft: { pending: number; active: number };
  stuckOnline: { agentId: string; problem: string }[];
  stuckOffline: { agentId: string; problem: string }[];
  audit: {
    /** Tree sizes of the first checkpoint seen during the run and of the last. */
    first: number | null;
    last: number | null;
    /** Checkpoints whose signature or body did not check. */
    unsigned: number;
    /** Checkpoints checked for consistency with the last one, and those that failed. */
    consistencyChecked: number;
    inconsistent: number[];
    /** Records the driver's successful steps created, and the leaves the log grew by. */
    expectedRecords: number;
    logGrewBy: number | null;
    recordProblems: string[];
    receiptsChecked: number;
    receiptsVerified: number;
    receiptFailures: string[];
    anchors: Record<string, number>;
  };
  memory: { startMb: number | null; endMb: number | null };
};

export type Check = { name: string; ok: boolean; detail: string };

const first = (items: string[], n = 3) => items.slice(0, n).join("; ") + (items.length > n ? `; … ${items.length - n} more` : "");

export function checksOf(f: Facts): Check[] {
  const serverErrors = Object.entries(f.byStatus).filter(([status]) => status === "0" || Number(status) >= 500);
  const errorCount = serverErrors.reduce((s, [, n]) => s + n, 0);
  const total = Object.values(f.byStatus).reduce((s, n) => s + n, 0);
  const a = f.audit;
  const stuck = [
    ...f.stuckOnline.map((s) => `${s.agentId} (online): ${s.problem}`),
    ...f.stuckOffline.map((s) => `${s.agentId} (offline): ${s.problem}`),
  ];
  return [
    {
      name: "no server errors",
      ok: total > 0 && errorCount === 0,
      detail: errorCount
        ? `${errorCount} of ${total} requests answered 5xx or not at all (${serverErrors.map(([s, n]) => `${s === "0" ? "no answer" : s}: ${n}`).join(", ")})`
        : `${total} requests, none 5xx or unanswered`,
    },
    {
      name: "no call lost",
      ok: f.calls.calls > 0 && f.calls.lost.length === 0,
      detail: f.calls.lost.length
        ? `${f.calls.lost.length} of ${f.calls.calls} calls: ${first(f.calls.lost.map((l) => `${l.callId}: ${l.problem}`))}`
        : `${f.calls.calls} calls: ${f.calls.completed} completed, ${f.calls.cancelled} cancelled, each as the driver's successful request said`,
    },
    {
      name: "no agent stuck",
      ok: stuck.length === 0 && f.queueLeft.pending === 0 && f.queueLeft.active === 0,
      detail:
        stuck.length || f.queueLeft.pending || f.queueLeft.active
          ? `queue left ${f.queueLeft.pending} pending, ${f.queueLeft.active} live; ${first(stuck) || "agents fine"}`
          : "queue empty; every agent online with no call, then offline with no call",
    },
    {
      name: "audit log consistent",
      ok: a.first !== null && a.last !== null && a.unsigned === 0 && a.consistencyChecked > 0 && a.inconsistent.length === 0,
      detail:
        a.first === null || a.last === null
          ? "no checkpoint to compare"
          : `${a.consistencyChecked} checkpoints (first ${a.first} leaves, last ${a.last}) proven prefixes of the last` +
            (a.inconsistent.length ? `; not proven: ${a.inconsistent.join(", ")}` : "") +
            (a.unsigned ? `; ${a.unsigned} not signed by the log's key` : ""),
    },
    {
      name: "every record logged once",
      ok: a.expectedRecords > 0 && a.recordProblems.length === 0 && a.logGrewBy === a.expectedRecords,
      detail:
        `${a.expectedRecords} records created, the log grew by ${a.logGrewBy ?? "?"} leaves` +
        (a.recordProblems.length ? `; ${first(a.recordProblems)}` : ""),
    },
    {
      name: "every receipt verified",
      ok: a.receiptsChecked === a.expectedRecords && a.receiptsVerified === a.receiptsChecked && a.receiptsChecked > 0,
      detail:
        `${a.receiptsVerified} of ${a.receiptsChecked} receipts verified (leaf, inclusion, signed checkpoint)` +
        (a.receiptFailures.length ? `; ${first(a.receiptFailures)}` : ""),
    },
    {
      name: "every receipt anchored",
      ok: a.receiptsChecked > 0 && (a.anchors.confirmed ?? 0) === a.receiptsChecked,
      detail: `anchors: ${
        Object.entries(a.anchors)
          .map(([s, n]) => `${n} ${s}`)
          .join(", ") || "none"
      }`,
    },
    {
      name: "workerd memory read",
      ok: !!f.memory.startMb && !!f.memory.endMb,
      detail: `RSS ${f.memory.startMb ?? "?"} MB at the start, ${f.memory.endMb ?? "?"} MB at the end`,
    },
  ];
}

/** The printed summary: one line per check, then the status codes. */
export function summaryText(checks: Check[], byStatus: Record<string, number>): string {
  const codes = Object.entries(byStatus)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([s, n]) => `${s === "0" ? "no answer" : s}: ${n}`)
    .join(", ");
  return [...checks.map((c) => `${c.ok ? "✓" : "✗"} ${c.name}: ${c.detail}`), `  requests by status: ${codes}`].join("\n");
}
