// The soak's bookkeeping, pure: what the customers and agents did (their own reports) held
// against what the server says afterwards. A call is lost unless exactly one ending succeeded
// (the agent's complete or the customer's cancel), the server shows that ending, and a
// completed call carries the decision the agent sent. A verification's audit records must be
// exactly the ones its steps created: one per document, one for the submit, one per completion.
import type { AgentCall } from "../roles/soak-agents.ts";
import type { Flow } from "../roles/soak-customers.ts";

export type FinalCall = { status: string; decision: string | null } | null;

export type CallProblem = { callId: string; verificationId: string | null; problem: string };

export type CallLedger = {
  calls: number;
  completed: number;
  cancelled: number;
  /** Calls that did not end as the driver's successful requests say they should. */
  lost: CallProblem[];
};

const ok = (status: number) => status >= 200 && status < 300;

/** Reconciles every queued call; `finals` is the server's view of each call once traffic stopped. */
export function reconcileCalls(flows: Flow[], agentCalls: AgentCall[], finals: ReadonlyMap<string, FinalCall>): CallLedger {
  const byCall = new Map<string, AgentCall[]>();
  for (const a of agentCalls) byCall.set(a.callId, [...(byCall.get(a.callId) ?? []), a]);
  const ledger: CallLedger = { calls: 0, completed: 0, cancelled: 0, lost: [] };
  for (const flow of flows) {
    if (!flow.callId) continue;
    ledger.calls++;
    const agents = byCall.get(flow.callId) ?? [];
    const problems: string[] = [];
    const acceptedBy = agents.filter((a) => a.accept.some(ok)).map((a) => a.agentId);
    const completions = agents.filter((a) => a.complete.some(ok));
    const cancelled = flow.cancelStatus !== null && ok(flow.cancelStatus);
    if (new Set(acceptedBy).size > 1) problems.push(`accepted by ${acceptedBy.length} agents`);
    if (completions.length > 1) problems.push(`completed by ${completions.length} agents`);
    if (completions.length && cancelled) problems.push("both the complete and the cancel succeeded");
    const expected = cancelled ? "cancelled" : completions.length ? "completed" : null;
    const final = finals.get(flow.callId) ?? null;
    if (expected === null) problems.push(`neither completed nor cancelled (server: ${final?.status ?? "not found"})`);
    else if (final?.status !== expected) problems.push(`${expected} by the driver, ${final?.status ?? "not found"} on the server`);
    else if (expected === "completed" && final.decision !== completions[0]!.decision)
      problems.push(`decided ${completions[0]!.decision}, the server says ${final.decision}`);
    if (problems.length) ledger.lost.push({ callId: flow.callId, verificationId: flow.verificationId, problem: problems.join("; ") });
    else if (expected === "completed") ledger.completed++;
    else ledger.cancelled++;
  }
  return ledger;
}

/** A record about a verification as `GET /verifications/{id}` lists it (`anchors`). */
export type ServerRecord = { record_id: string; kind: string; leaf_index: number | null; anchor: { status: string } };

/** What a flow's successful steps created: audit records, and the decision when the call was completed. */
export type ExpectedRecords = { documents: string[]; submitted: boolean; completion: string | null; decision: string | null };

export function expectedRecords(flow: Flow, agentCalls: AgentCall[]): ExpectedRecords {
  const completed = agentCalls.find((a) => a.callId === flow.callId && a.complete.some(ok));
  return {
    documents: flow.documentRecords,
    submitted: flow.submitStatus === 200,
    completion: completed?.recordId ?? null,
    decision: completed?.decision ?? null,
  };
}

const same = (a: string[], b: string[]) => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

/** What is wrong with a verification on the server (`GET /verifications/{id}`: its records and
 * decision), compared with what its steps created; [] when nothing. */
export function verificationProblems(
  expected: ExpectedRecords,
  verification: { decision: string | null; anchors: ServerRecord[] },
): string[] {
  const server = verification.anchors;
  const of = (kind: string) => server.filter((r) => r.kind === kind).map((r) => r.record_id);
  const problems: string[] = [];
  if (!same(of("document"), expected.documents))
    problems.push(`documents: ${expected.documents.length} uploaded, the server lists ${of("document").length}`);
  if (of("verification_submitted").length !== (expected.submitted ? 1 : 0))
    problems.push(`submit records: ${of("verification_submitted").length}, expected ${expected.submitted ? 1 : 0}`);
  if (!same(of("video_call_completed"), expected.completion ? [expected.completion] : []))
    problems.push(`completion records: ${of("video_call_completed").join(", ") || "none"}, expected ${expected.completion ?? "none"}`);
  const others = server.filter((r) => !["document", "verification_submitted", "video_call_completed"].includes(r.kind));
  if (others.length) problems.push(`unexpected records: ${others.map((r) => r.kind).join(", ")}`);
  const unlogged = server.filter((r) => r.leaf_index === null);
  if (unlogged.length) problems.push(`${unlogged.length} record(s) not in the log`);
  if (expected.decision !== null && verification.decision !== expected.decision)
    problems.push(`decision ${verification.decision ?? "none"}, the agent decided ${expected.decision}`);
  return problems;
}

/** Leaf indices used by more than one record (a record logged twice shows as two records sharing nothing, so the tree size is compared too). */
export function sharedLeaves(records: ServerRecord[]): number[] {
  const seen = new Map<number, number>();
  for (const r of records) if (r.leaf_index !== null) seen.set(r.leaf_index, (seen.get(r.leaf_index) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([index]) => index);
}

export type AgentView = { agent_id: string; status: string; current_calls: number };

/** Soak agents whose status or load does not fit "no live calls" (status `wanted`, no calls held). */
export function stuckAgents(agentIds: string[], views: AgentView[], wanted: string): { agentId: string; problem: string }[] {
  const byId = new Map(views.map((v) => [v.agent_id, v]));
  return agentIds.flatMap((agentId) => {
    const v = byId.get(agentId);
    if (!v) return [{ agentId, problem: "missing from the availability list" }];
    const problems = [
      ...(v.current_calls !== 0 ? [`holds ${v.current_calls} call(s)`] : []),
      ...(v.status !== wanted ? [`status ${v.status}, expected ${wanted}`] : []),
    ];
    return problems.length ? [{ agentId, problem: problems.join("; ") }] : [];
  });
}
