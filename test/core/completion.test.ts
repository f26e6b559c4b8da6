// What completing a call writes (worker/calls/completion.ts), from plain data.
import { describe, expect, it } from "vitest";
import { completionOf } from "../../worker/calls/completion.ts";
import type { CallView } from "../../worker/schemas/messages.ts";

const call: CallView = {
  id: "call-1",
  verification_id: "ver-1",
  customer_id: "cust-1",
  user_name: "Customer 1",
  status: "in_progress",
  priority: "normal",
  initial_priority: "normal",
  fraud_score: 12,
  documents: [],
  created_at: "2025-01-01T10:00:00.000Z",
  wait_seconds: 30,
  assigned_agent_id: "agent-1",
};

const completion = (recordingSha256: string | null = null) =>
  completionOf({
    tenantId: "t1",
    decidedBy: "agent-1",
    call,
    request: { call_notes: "Passport matches; selfie matches.", verification_result: "approved", reason_code: "IDENTITY_CONFIRMED" },
    durationSeconds: 300,
    notes: { hmac: "ab".repeat(32), keyBase64: "a2V5" },
    recordingSha256,
    salt: "c2FsdA==",
    now: Date.parse("2025-01-01T10:10:00.000Z"),
  });

const leafOf = (ops: ReturnType<typeof completionOf>["ops"]) => {
  const insert = ops.find((op) => op.op === "audit_insert");
  if (insert?.op !== "audit_insert") throw new Error("no audit record");
  return { row: insert.row, leaf: atob(insert.row.data) };
};

describe("a call's completion", () => {
  it("names the same record, decision, notes hash and recording in the summary and the audit record", () => {
    const { summary, ops } = completion("cd".repeat(32));
    expect(summary).toEqual({
      call_id: "call-1",
      verification_id: "ver-1",
      agent_id: "agent-1",
      customer_id: "cust-1",
      decided_by: "agent-1",
      decision: "approved",
      reason_code: "IDENTITY_CONFIRMED",
      duration_seconds: 300,
      notes_hmac: "ab".repeat(32),
      recording_sha256: "cd".repeat(32),
      completed_at: "2025-01-01T10:10:00.000Z",
      audit_record_id: "video_call:call-1:completed",
    });
    const { row, leaf } = leafOf(ops);
    expect(row).toMatchObject({ id: summary.audit_record_id, kind: "video_call_completed", subject_id: "call-1", owner_id: "cust-1" });
    expect(JSON.parse(leaf)).toMatchObject({
      notes_hmac: summary.notes_hmac,
      recording_sha256: summary.recording_sha256,
      decided_by: "agent-1",
    });
  });

  it("writes the notes and their key to the call's D1 row only, never into the audit record", () => {
    const { ops } = completion();
    expect(ops[0]).toEqual({
      op: "call_set",
      id: "call-1",
      at: Date.parse("2025-01-01T10:10:00.000Z"),
      fields: {
        notes: "Passport matches; selfie matches.",
        notes_hash: "ab".repeat(32),
        notes_key: "a2V5",
        audit_record_id: "video_call:call-1:completed",
      },
    });
    const { leaf } = leafOf(ops);
    expect(leaf).not.toContain("selfie");
    expect(leaf).not.toContain("a2V5");
  });
});
