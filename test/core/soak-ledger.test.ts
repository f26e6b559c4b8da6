// The soak's bookkeeping (bench/soak/): how what the driver did and what the server says become
// its verdict. The soak itself runs the system for minutes and is not part of npm test.
import { describe, expect, it } from "vitest";
import type { AgentCall } from "../../bench/roles/soak-agents.ts";
import type { Flow } from "../../bench/roles/soak-customers.ts";
import { faultWindows } from "../../bench/soak/faults.ts";
import {
  expectedRecords,
  reconcileCalls,
  stuckAgents,
  verificationProblems,
  type FinalCall,
  type ServerRecord,
} from "../../bench/soak/ledger.ts";
import { parseSoakOptions } from "../../bench/soak/options.ts";
import { checksOf, type Facts } from "../../bench/soak/report.ts";
import { byStatus, mergeTallies, routeOf, serverErrors } from "../../bench/soak/tally.ts";
import { UsageError } from "../../bench/lib/options.ts";

const flow = (callId: string, over: Partial<Flow> = {}): Flow => ({
  customerId: "cust",
  verificationId: `v-${callId}`,
  documentRecords: [`document:d-${callId}`],
  submitStatus: 200,
  callId,
  cancelStatus: null,
  heard: [],
  endedBy: "room",
  roomDropped: false,
  ...over,
});

const agentCall = (callId: string, agentId: string, over: Partial<AgentCall> = {}): AgentCall => ({
  callId,
  agentId,
  offers: 1,
  rejects: 0,
  ignored: 0,
  accept: [200],
  start: [200],
  complete: [200],
  decision: "approved",
  recordId: `video_call:${callId}:completed`,
  heardCancelled: false,
  ...over,
});

const finals = (entries: [string, FinalCall][]) => new Map(entries);

describe("the soak's call ledger", () => {
  it("counts a call completed by its agent and one cancelled by its customer, each as the server shows it", () => {
    const ledger = reconcileCalls(
      [flow("c1"), flow("c2", { cancelStatus: 200 })],
      [agentCall("c1", "a1"), agentCall("c2", "a2", { complete: [409], decision: null, recordId: null })],
      finals([
        ["c1", { status: "completed", decision: "approved" }],
        ["c2", { status: "cancelled", decision: null }],
      ]),
    );
    expect(ledger).toEqual({ calls: 2, completed: 1, cancelled: 1, lost: [] });
  });

  it("accepts a call rejected by one agent and completed by the next", () => {
    const ledger = reconcileCalls(
      [flow("c1")],
      [agentCall("c1", "a1", { rejects: 1, accept: [], start: [], complete: [], decision: null, recordId: null }), agentCall("c1", "a2")],
      finals([["c1", { status: "completed", decision: "approved" }]]),
    );
    expect(ledger.lost).toEqual([]);
  });

  it.each([
    [
      "no ending succeeded",
      [flow("c1", { cancelStatus: 409 })],
      [],
      { status: "pending", decision: null },
      /neither completed nor cancelled \(server: pending\)/,
    ],
    [
      "the server shows another ending",
      [flow("c1")],
      [agentCall("c1", "a1")],
      { status: "cancelled", decision: null },
      /completed by the driver, cancelled on the server/,
    ],
    ["the server lost the call", [flow("c1")], [agentCall("c1", "a1")], null, /completed by the driver, not found on the server/],
    [
      "the decision changed",
      [flow("c1")],
      [agentCall("c1", "a1")],
      { status: "completed", decision: "rejected" },
      /decided approved, the server says rejected/,
    ],
    [
      "complete and cancel both succeeded",
      [flow("c1", { cancelStatus: 200 })],
      [agentCall("c1", "a1")],
      { status: "cancelled", decision: null },
      /both the complete and the cancel/,
    ],
    [
      "two agents accepted",
      [flow("c1")],
      [agentCall("c1", "a1"), agentCall("c1", "a2", { complete: [409], decision: null })],
      { status: "completed", decision: "approved" },
      /accepted by 2 agents/,
    ],
  ] as const)("reports a call as lost when %s", (_, flows, agentCalls, final, problem) => {
    const ledger = reconcileCalls([...flows], [...agentCalls], finals([["c1", final]]));
    expect(ledger.lost).toHaveLength(1);
    expect(ledger.lost[0]!.problem).toMatch(problem);
  });

  it("leaves out flows whose submit failed: no call was queued", () => {
    expect(reconcileCalls([flow("c1", { callId: null, submitStatus: 503 })], [], finals([])).calls).toBe(0);
  });
});

describe("the soak's record check", () => {
  const record = (record_id: string, kind: string, leaf_index: number | null = 0): ServerRecord => ({
    record_id,
    kind,
    leaf_index,
    anchor: { status: "confirmed" },
  });
  const expected = expectedRecords(flow("c1"), [agentCall("c1", "a1", { decision: "needs_review" })]);
  const complete = [
    record("document:d-c1", "document", 0),
    record("verification:v-c1:submitted", "verification_submitted", 1),
    record("video_call:c1:completed", "video_call_completed", 2),
  ];

  it("expects one record per document, one for the submit and one for the completion, with the agent's decision", () => {
    expect(expected).toEqual({
      documents: ["document:d-c1"],
      submitted: true,
      completion: "video_call:c1:completed",
      decision: "needs_review",
    });
    expect(verificationProblems(expected, { decision: "needs_review", anchors: complete })).toEqual([]);
  });

  it("names each way the server's records differ", () => {
    const problems = verificationProblems(expected, {
      decision: "approved",
      anchors: [
        complete[0]!,
        complete[1]!,
        record("verification:v-c1:submitted", "verification_submitted", null),
        record("x", "decision_overridden"),
      ],
    });
    expect(problems).toEqual([
      "submit records: 2, expected 1",
      "completion records: none, expected video_call:c1:completed",
      "unexpected records: decision_overridden",
      "1 record(s) not in the log",
      "decision approved, the agent decided needs_review",
    ]);
  });
});

describe("the soak's agent check", () => {
  it("finds agents holding calls or in another status, and agents the server does not list", () => {
    const views = [
      { agent_id: "a1", status: "online", current_calls: 0 },
      { agent_id: "a2", status: "online", current_calls: 1 },
      { agent_id: "a3", status: "away", current_calls: 0 },
    ];
    expect(stuckAgents(["a1", "a2", "a3", "a4"], views, "online")).toEqual([
      { agentId: "a2", problem: "holds 1 call(s)" },
      { agentId: "a3", problem: "status away, expected online" },
      { agentId: "a4", problem: "missing from the availability list" },
    ]);
  });
});

describe("the soak's verdict", () => {
  const healthy: Facts = {
    byStatus: { "200": 90, "201": 10, "409": 2 },
    calls: { calls: 5, completed: 4, cancelled: 1, lost: [] },
    queueLeft: { pending: 0, active: 0 },
    stuckOnline: [],
    stuckOffline: [],
    audit: {
      first: 3,
      last: 15,
      unsigned: 0,
      consistencyChecked: 4,
      inconsistent: [],
      expectedRecords: 15,
      logGrewBy: 15,
      recordProblems: [],
      receiptsChecked: 15,
      receiptsVerified: 15,
      receiptFailures: [],
      anchors: { confirmed: 15 },
    },
    memory: { startMb: 150, endMb: 180 },
  };
  const failing = (facts: Facts) =>
    checksOf(facts)
      .filter((c) => !c.ok)
      .map((c) => c.name);

  it("passes every check when nothing was lost", () => {
    expect(failing(healthy)).toEqual([]);
  });

  it.each([
    ["a 503", { ...healthy, byStatus: { ...healthy.byStatus, "503": 1 } }, "no server errors"],
    ["a request never answered", { ...healthy, byStatus: { ...healthy.byStatus, "0": 1 } }, "no server errors"],
    [
      "a lost call",
      { ...healthy, calls: { ...healthy.calls, lost: [{ callId: "c", verificationId: null, problem: "x" }] } },
      "no call lost",
    ],
    ["no call at all", { ...healthy, calls: { calls: 0, completed: 0, cancelled: 0, lost: [] } }, "no call lost"],
    ["a call left in the queue", { ...healthy, queueLeft: { pending: 1, active: 0 } }, "no agent stuck"],
    ["an agent still reserved", { ...healthy, stuckOffline: [{ agentId: "a", problem: "holds 1 call(s)" }] }, "no agent stuck"],
    ["an inconsistent checkpoint", { ...healthy, audit: { ...healthy.audit, inconsistent: [7] } }, "audit log consistent"],
    ["no checkpoint", { ...healthy, audit: { ...healthy.audit, first: null } }, "audit log consistent"],
    ["a record logged twice", { ...healthy, audit: { ...healthy.audit, logGrewBy: 16 } }, "every record logged once"],
    ["a receipt that does not verify", { ...healthy, audit: { ...healthy.audit, receiptsVerified: 14 } }, "every receipt verified"],
    [
      "a receipt never fetched",
      { ...healthy, audit: { ...healthy.audit, receiptsChecked: 14, receiptsVerified: 14, anchors: { confirmed: 14 } } },
      "every receipt verified",
    ],
    [
      "an anchor still pending",
      { ...healthy, audit: { ...healthy.audit, anchors: { confirmed: 14, pending: 1 } } },
      "every receipt anchored",
    ],
    ["memory not read", { ...healthy, memory: { startMb: 0, endMb: 180 } }, "workerd memory read"],
  ] as const)("fails exactly one check on %s", (_, facts, check) => {
    expect(failing(facts as Facts)).toEqual([check]);
  });
});

describe("the soak's driving", () => {
  it("opens fault windows half a period in, the faults in turn, each ending inside the traffic", () => {
    const specs = [
      { node: "master", mode: "refuse" },
      { node: "ai_core", mode: "slow" },
    ] as const;
    const windows = faultWindows(600, 60, 20, [...specs]);
    expect(windows).toHaveLength(10);
    expect(windows[0]).toEqual({ node: "master", mode: "refuse", fromS: 30, toS: 50 });
    expect(windows[1]).toMatchObject({ node: "ai_core", fromS: 90 });
    expect(windows.at(-1)!.toS).toBeLessThanOrEqual(600);
    expect(faultWindows(60, 60, 20, [...specs])).toHaveLength(1);
    expect(faultWindows(40, 60, 20, [...specs])).toEqual([]);
    expect(faultWindows(600, 60, 20, [])).toEqual([]);
  });

  it("tallies answers by route with the ids taken out, and finds 5xx and unanswered ones", () => {
    expect(routeOf("POST", "/verifications/0197a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d/documents")).toBe("POST /verifications/:id/documents");
    expect(routeOf("GET", `/audit/receipts/${encodeURIComponent("document:abc")}`)).toBe("GET /audit/receipts/:id");
    expect(routeOf("GET", "/video-calls/pending?limit=1")).toBe("GET /video-calls/pending");
    const tally = mergeTallies([{ "GET /a": { "200": 2 } }, { "GET /a": { "200": 1, "503": 1 }, "POST /b": { "0": 1, "409": 1 } }]);
    expect(byStatus(tally)).toEqual({ "200": 3, "503": 1, "0": 1, "409": 1 });
    expect(serverErrors(tally)).toEqual({ "GET /a": { "503": 1 }, "POST /b": { "0": 1 } });
  });

  it("reads its flags with the issue's defaults and refuses malformed ones", () => {
    const defaults = parseSoakOptions([]);
    expect(defaults).toMatchObject({ minutes: 10, runner: "direct", out: "bench/results/soak-latest.json" });
    expect(defaults.faults.map((f) => f.mode)).toEqual(expect.arrayContaining(["refuse", "error", "slow"]));
    expect(parseSoakOptions(["--minutes", "1", "--faults", ""])).toMatchObject({ minutes: 1, faults: [] });
    expect(() => parseSoakOptions(["--faults", "master:explode"])).toThrow(UsageError);
    expect(() => parseSoakOptions(["--hold-ms", "9000,1000"])).toThrow(UsageError);
    expect(() => parseSoakOptions(["--reject-share", "0.9", "--ignore-share", "0.2"])).toThrow(UsageError);
    expect(() => parseSoakOptions(["--surprise"])).toThrow(UsageError);
  });
});
