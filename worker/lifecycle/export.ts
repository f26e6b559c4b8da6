// A verification's export (subject access, API.md "Lifecycle"): everything held about it in one
// JSON document: the verification as the caller may see it, its documents as signed links valid
// for a few minutes, its calls, its decisions and the receipt of every audit record about it
// (each verifiable offline with `npm run verify-receipt`).
import { receiptFor } from "../audit/receipts.ts";
import type { Principal } from "../auth/principal.ts";
import { can } from "../auth/permissions.ts";
import { recordsAboutVerification } from "../db/audit-records.ts";
import { database } from "../db/client.ts";
import { documentsOf } from "../db/documents.ts";
import { lifecycleOf } from "../db/lifecycle.ts";
import { callsOfVerification, overridesOfVerification, recordingsOfCalls } from "../db/subject-access.ts";
import { verificationFor, verificationSummary } from "../db/verifications.ts";
import { forbidden, notFound } from "../http/errors.ts";
import { iso } from "../ids.ts";
import { seesRisk, verificationViewFor } from "../verifications/customer-view.ts";
import { lifecycleConfig } from "./config.ts";
import { documentLinkPath, signDocumentLink } from "./document-links.ts";
import { legalHoldView } from "./legal-hold.ts";

export const EXPORT_FORMAT = "verifyid-export/v1" as const;

/** The export of verification `id` for `who` (a manager, or its own customer); `origin` is the
 * API's base URL the links are made from. */
export async function exportVerification(env: Env, who: Principal, id: string, apiBase: string, now = Date.now()) {
  const isManager = can(who.role, "data_lifecycle.manage");
  if (!isManager && !can(who.role, "verifications.own")) throw forbidden("data_lifecycle.manage");
  const db = database(env.DB);
  const row = await verificationFor(db, who, id);
  if (!row) throw notFound("Verification");
  const expires = now + lifecycleConfig(env).documentLinkTtlSeconds * 1000;

  const documents = await Promise.all(
    (await documentsOf(db, id)).map(async (d) => ({
      id: d.id,
      doc_type: d.docType,
      content_type: d.contentType,
      size: d.size,
      document_hash: d.documentHash,
      url: `${apiBase}${documentLinkPath(d.id, expires, await signDocumentLink(env.JWT_SECRET, d.id, expires))}`,
      expires_at: new Date(expires).toISOString(),
    })),
  );
  const calls = await callsOfVerification(db, id);
  const recordings = await recordingsOfCalls(
    db,
    calls.map((c) => c.id),
  );
  const overrides = await overridesOfVerification(db, id);
  const records = await recordsAboutVerification(db, id);
  const hold = legalHoldView(id, await lifecycleOf(db, id));
  const staffView = seesRisk(who);

  return {
    format: EXPORT_FORMAT,
    exported_at: new Date(now).toISOString(),
    verification: verificationViewFor(who, verificationSummary(row)),
    documents,
    calls: calls.map((c) => ({
      id: c.id,
      status: c.status,
      agent_id: c.agentId,
      user_name: c.userName,
      created_at: iso(c.createdAt),
      started_at: iso(c.startedAt),
      ended_at: iso(c.endedAt),
      duration_seconds: c.durationSeconds,
      end_reason: c.endReason,
      decision: c.decision,
      decision_reason: c.decisionReason,
      // Staff's working notes and a hold's reason may concern an investigation: not for the
      // customer, as the risk internals are not (customer-view.ts).
      notes: staffView ? c.notes : null,
      recordings: recordings
        .filter((r) => r.callId === c.id)
        .map((r) => ({ id: r.id, sha256: r.sha256, size: r.size, content_type: r.contentType })),
    })),
    decisions: [
      ...calls
        .filter((c) => c.decision !== null)
        .map((c) => ({
          kind: "call_decision",
          call_id: c.id,
          decision: c.decision,
          reason_code: c.decisionReason,
          decided_by: c.agentId,
          decided_at: iso(c.endedAt),
        })),
      ...overrides.map((o) => ({
        kind: "override",
        override_id: o.id,
        call_id: o.callId,
        previous_decision: o.previousDecision,
        decision: o.decision,
        reason_code: o.reasonCode,
        reason: staffView ? o.reason : null,
        decided_by: o.managerId,
        decided_at: iso(o.createdAt),
      })),
    ],
    legal_hold: staffView ? hold : { ...hold, reason: null, placed_by: null },
    receipts: await Promise.all(
      records.map(async (r) => {
        const receipt = r.leafIndex === null ? null : await receiptFor(env, { id: r.id, leafIndex: r.leafIndex });
        return { record_id: r.id, kind: r.kind, status: receipt ? ("logged" as const) : ("queued" as const), receipt };
      }),
    ),
  };
}
