// Audit records: what each leaf of the log commits to. A leaf's input is the canonical JSON
// of a record with a random salt, so that a leaf hash cannot be used to confirm a guess of
// the data behind it (a document hash, an outcome, an id); the salt stays with the record.
// Pure: the salt and times are passed in.

export type AuditKind =
  | "document"
  | "document_withdrawn"
  | "verification_submitted"
  | "video_call_completed"
  | "decision_overridden"
  | "direct_call_ended"
  | "verification_erased";

export type AuditRecord = {
  recordId: string;
  kind: AuditKind;
  tenantId: string;
  /** The verification, call or document the record is about. */
  subjectId: string;
  /** The customer the record belongs to (they may fetch its receipt), when there is one. */
  ownerId: string | null;
  /** The exact leaf input (UTF-8 canonical JSON). */
  data: Uint8Array;
};

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** JSON with object keys sorted and no whitespace: one byte string per record. */
export function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const encode = (value: Json) => new TextEncoder().encode(canonicalJson(value));

/** The suffix that turns a document's record id into its withdrawal's. */
export const WITHDRAWN_SUFFIX = ":withdrawn";

export const recordIds = {
  document: (documentId: string) => `document:${documentId}`,
  /** Always the document's own record id plus this suffix: db/audit-records.ts finds the
   * withdrawn document's record from it once the document row is gone. */
  documentWithdrawal: (documentId: string) => `document:${documentId}${WITHDRAWN_SUFFIX}`,
  verification: (verificationId: string) => `verification:${verificationId}:submitted`,
  videoCall: (callId: string) => `video_call:${callId}:completed`,
  decisionOverride: (callId: string, overrideId: string) => `video_call:${callId}:override:${overrideId}`,
  directCall: (callId: string) => `direct_call:${callId}:ended`,
  erasure: (verificationId: string) => `verification:${verificationId}:erased`,
};

/** A document's leaf reveals only the salt and the document hash (API.md). */
export function documentRecord(input: {
  tenantId: string;
  documentId: string;
  ownerId: string;
  documentHash: string;
  salt: string;
}): AuditRecord {
  return {
    recordId: recordIds.document(input.documentId),
    kind: "document",
    tenantId: input.tenantId,
    subjectId: input.documentId,
    ownerId: input.ownerId,
    data: encode({ document_hash: input.documentHash, salt: input.salt }),
  };
}

/** A document removed before submit (its row and R2 object deleted; its own record stays, as
 * the log is append-only). Ids and the hash only, no personal data. About the verification, so
 * that an erasure of the verification finds it (and through it the document's own record). */
export function documentWithdrawnRecord(input: {
  tenantId: string;
  documentId: string;
  verificationId: string;
  ownerId: string;
  documentHash: string;
  withdrawnBy: string;
  withdrawnAt: string;
  salt: string;
}): AuditRecord {
  return {
    recordId: recordIds.documentWithdrawal(input.documentId),
    kind: "document_withdrawn",
    tenantId: input.tenantId,
    subjectId: input.verificationId,
    ownerId: input.ownerId,
    data: encode({
      kind: "document_withdrawn",
      document_id: input.documentId,
      verification_id: input.verificationId,
      document_hash: input.documentHash,
      withdrawn_by: input.withdrawnBy,
      withdrawn_at: input.withdrawnAt,
      salt: input.salt,
    }),
  };
}

/** A submitted verification: its documents' hashes, the risk outcome and the queue priority. */
export function verificationRecord(input: {
  tenantId: string;
  verificationId: string;
  ownerId: string;
  documentHashes: string[];
  fraudScore: number;
  riskLevel: string;
  riskSource: string;
  priority: string;
  submittedAt: string;
  salt: string;
}): AuditRecord {
  return {
    recordId: recordIds.verification(input.verificationId),
    kind: "verification_submitted",
    tenantId: input.tenantId,
    subjectId: input.verificationId,
    ownerId: input.ownerId,
    data: encode({
      kind: "verification_submitted",
      verification_id: input.verificationId,
      document_hashes: [...input.documentHashes].sort(),
      fraud_score: input.fraudScore,
      risk_level: input.riskLevel,
      risk_source: input.riskSource,
      priority: input.priority,
      submitted_at: input.submittedAt,
      salt: input.salt,
    }),
  };
}

/** A finished video call: who decided what and when, how long it took, a keyed hash of the
 * notes (see `notesKey`) and the recording's hash. */
export function videoCallRecord(input: {
  tenantId: string;
  callId: string;
  verificationId: string;
  ownerId: string;
  agentId: string | null;
  decidedBy: string;
  decision: string;
  reasonCode: string | null;
  durationSeconds: number | null;
  notesHmac: string;
  recordingSha256: string | null;
  completedAt: string;
  salt: string;
  /** How the call was routed and each relaxation step it took (issue 17); only for routed calls. */
  routing?: {
    queue_id: string | null;
    requirements: Array<{ skill: string; level: number }>;
    relaxations: Array<{ step: number; at: string }>;
  };
}): AuditRecord {
  return {
    recordId: recordIds.videoCall(input.callId),
    kind: "video_call_completed",
    tenantId: input.tenantId,
    subjectId: input.callId,
    ownerId: input.ownerId,
    data: encode({
      kind: "video_call_completed",
      call_id: input.callId,
      verification_id: input.verificationId,
      agent_id: input.agentId,
      decided_by: input.decidedBy,
      decided_at: input.completedAt,
      decision: input.decision,
      reason_code: input.reasonCode,
      duration_seconds: input.durationSeconds,
      notes_hmac: input.notesHmac,
      recording_sha256: input.recordingSha256,
      completed_at: input.completedAt,
      salt: input.salt,
      ...(input.routing
        ? {
            routing: {
              queue_id: input.routing.queue_id,
              requirements: input.routing.requirements.map((r) => ({ skill: r.skill, level: r.level })),
              relaxations: input.routing.relaxations.map((r) => ({ step: r.step, at: r.at })),
            },
          }
        : {}),
    }),
  };
}

/** A manager's override of a recorded decision, with a keyed hash of the stated reason. */
export function decisionOverrideRecord(input: {
  tenantId: string;
  overrideId: string;
  callId: string;
  verificationId: string;
  ownerId: string;
  decidedBy: string;
  previousDecision: string;
  decision: string;
  reasonCode: string | null;
  reasonHmac: string;
  decidedAt: string;
  salt: string;
}): AuditRecord {
  return {
    recordId: recordIds.decisionOverride(input.callId, input.overrideId),
    kind: "decision_overridden",
    tenantId: input.tenantId,
    subjectId: input.callId,
    ownerId: input.ownerId,
    data: encode({
      kind: "decision_overridden",
      override_id: input.overrideId,
      call_id: input.callId,
      verification_id: input.verificationId,
      decided_by: input.decidedBy,
      decided_at: input.decidedAt,
      previous_decision: input.previousDecision,
      decision: input.decision,
      reason_code: input.reasonCode,
      reason_hmac: input.reasonHmac,
      salt: input.salt,
    }),
  };
}

/** A direct call that ended (answered, missed, rejected, busy or offline). */
export function directCallRecord(input: {
  tenantId: string;
  callId: string;
  callerId: string;
  calleeId: string;
  outcome: string;
  startedAt: string;
  endedAt: string;
  durationSeconds: number | null;
  salt: string;
}): AuditRecord {
  return {
    recordId: recordIds.directCall(input.callId),
    kind: "direct_call_ended",
    tenantId: input.tenantId,
    subjectId: input.callId,
    ownerId: input.callerId,
    data: encode({
      kind: "direct_call_ended",
      call_id: input.callId,
      caller_id: input.callerId,
      callee_id: input.calleeId,
      outcome: input.outcome,
      started_at: input.startedAt,
      ended_at: input.endedAt,
      duration_seconds: input.durationSeconds,
      salt: input.salt,
    }),
  };
}

/** An erasure (README "Data lifecycle"): who erased which verification, when and on what basis,
 * a keyed hash of the stated reason, and the leaves whose stored data (and so their salts) it
 * destroyed. No personal data: the leaves are named by index, never by what they held. */
export function erasureRecord(input: {
  tenantId: string;
  verificationId: string;
  erasedBy: string;
  basis: string;
  reasonHmac: string;
  redactedLeaves: number[];
  erasedAt: string;
  salt: string;
}): AuditRecord {
  return {
    recordId: recordIds.erasure(input.verificationId),
    kind: "verification_erased",
    tenantId: input.tenantId,
    subjectId: input.verificationId,
    // Staff only: the customer's link to the record ends with the erasure.
    ownerId: null,
    data: encode({
      kind: "verification_erased",
      verification_id: input.verificationId,
      erased_by: input.erasedBy,
      erased_at: input.erasedAt,
      basis: input.basis,
      reason_hmac: input.reasonHmac,
      redacted_leaves: [...input.redactedLeaves].sort((a, b) => a - b),
      salt: input.salt,
    }),
  };
}

/** 16 random bytes, base64: the salt each record keeps. */
export function newSalt(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** A fresh 32-byte key for one record's keyed text hash (notes, override reasons). The salt
 * is part of the leaf and so public with a receipt; this key is not, so a short text behind
 * the hash cannot be confirmed by guessing without it. */
export function newTextKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32));
}
