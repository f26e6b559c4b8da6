// Submitting a verification (API.md): the automatic trigger. Risk score (Thronos AI core,
// or the rules when it gives no usable answer), priority from the score, an audit record,
// and a place in the tenant's video-call queue.
import type { PriorityWord } from "../core/priority.ts";
import { priorityFor } from "../core/risk.ts";
import type { Principal } from "../auth/principal.ts";
import { database, type Database } from "../db/client.ts";
import { documentsOf, reusedDocumentCount, type DocumentRow } from "../db/documents.ts";
import {
  fraudAnalysisOf,
  freezeForSubmit,
  type FrozenSubmission,
  storeRiskAnalysis,
  verificationFor,
  verificationStatus,
  type VerificationRow,
} from "../db/verifications.ts";
import { conflict, forbidden, notFound } from "../http/errors.ts";
import { coordinatorFor, unwrap } from "../calls/coordinator.ts";
import type { FraudAnalysis, UserInfo } from "../schemas/verifications.ts";
import { seesRisk, submitAnswerFor } from "./customer-view.ts";
import { scoreRisk, type RiskAssessment } from "../services/thronos/ai-client.ts";
import { thronosConfigFrom } from "../services/thronos/config.ts";
import { recordSubmission } from "./audit.ts";
import { enqueueVerification } from "./enqueue.ts";
import type { Outcome } from "../core/queue/index.ts";
import type { CallView } from "../schemas/messages.ts";

/** Scores the verification's risk from its documents and the customer's details; `known` when
 * the caller has read the documents and their reuse already (a submit). */
export async function assessRisk(
  env: Env,
  db: Database,
  verification: VerificationRow,
  known?: { documents: DocumentRow[]; reusedDocumentCount: number },
): Promise<RiskAssessment> {
  const docs = known?.documents ?? (await documentsOf(db, verification.id));
  return scoreRisk(thronosConfigFrom(env), {
    documents: docs.map((d) => ({ doc_type: d.docType, content_type: d.contentType, size: d.size, document_hash: d.documentHash })),
    user_info: verification.userInfo ? (JSON.parse(verification.userInfo) as UserInfo) : null,
    reusedDocumentCount:
      known?.reusedDocumentCount ??
      (await reusedDocumentCount(
        db,
        verification,
        docs.map((d) => d.documentHash),
      )),
    now: Date.now(),
  });
}

/** The verification's risk for staff: as stored at submit, or assessed now (nothing stored). */
export async function riskOf(env: Env, who: Principal, verificationId: string): Promise<FraudAnalysis> {
  // Risk internals are for staff; a customer sees their status only (customer-view.ts).
  if (!seesRisk(who)) throw forbidden("verifications.read_all");
  const db = database(env.DB);
  const verification = await verificationFor(db, who, verificationId);
  if (!verification) throw notFound("Verification");
  const stored = fraudAnalysisOf(verification);
  if (stored) return stored;
  const { fraud_score, risk_level, flags, risk_source } = await assessRisk(env, db, verification);
  return { fraud_score, risk_level, flags, risk_source };
}

/** From submit on the document set never changes: `submitted_at` is set first, in one statement
 * that also requires a document, and every document insert requires it unset
 * (db/documents.ts). So the documents scored and recorded below are exactly the
 * verification's documents, whatever uploads are still streaming. A retried submit keeps the
 * first instant. */
async function freezeDocuments(db: Database, verification: VerificationRow): Promise<FrozenSubmission> {
  const frozen = await freezeForSubmit(db, verification, Date.now());
  if (frozen.frozen) return frozen;
  const status = await verificationStatus(db, verification.id);
  if (status && status !== "created") throw alreadySubmitted(status, verification.callId);
  throw conflict("no_documents", "Upload at least one document before submitting.");
}

const alreadySubmitted = (status: string, callId: string | null) =>
  conflict("verification_already_submitted", "This verification was already submitted.", {
    status,
    ...(callId ? { call_id: callId } : {}),
  });

/** A retried submit whose first attempt queued the call but did not finish: carry on with that call. */
async function resumeOpenCall(env: Env, verification: VerificationRow, queued: Outcome<CallView>): Promise<CallView> {
  if (queued.ok || queued.error.code !== "call_already_open") return unwrap(queued);
  const call = await coordinatorFor(env, verification.tenantId).getCall(String(queued.error.details?.call_id));
  return call ?? unwrap(queued);
}

/** Scores, records and queues a verification; the reply is API.md's submit answer. `priority`
 * overrides the one the score gives (a customer's own request for a call is urgent). */
export async function submitVerification(env: Env, db: Database, verification: VerificationRow, options: { priority?: PriorityWord } = {}) {
  if (verification.status !== "created") throw alreadySubmitted(verification.status, verification.callId);
  // Frozen from here on: the one read that came with the freeze serves the score, the queue and the record.
  const frozen = await freezeDocuments(db, verification);
  const docs = frozen.documents;
  const risk = await assessRisk(env, db, verification, frozen);
  const priority = options.priority ?? priorityFor(risk.fraud_score);
  const submittedAt = Date.now();
  // The analysis is stored while the verification is still "created": if queueing fails, a
  // retry of submit finds it unsubmitted and starts again.
  await storeRiskAnalysis(db, verification.id, risk, priority, submittedAt);

  const queued = await enqueueVerification(env, db, verification, priority, risk.fraud_score, docs);
  const call = queued.ok ? queued.value : await resumeOpenCall(env, verification, queued);

  await recordSubmission(env, db, verification.id, docs);

  return {
    status: "pending_video_call" as const,
    fraud_score: risk.fraud_score,
    risk_level: risk.risk_level,
    flags: risk.flags,
    risk_source: risk.risk_source,
    priority,
    call_id: call.id,
    position_in_queue: call.position_in_queue ?? 1,
    estimated_wait_seconds: call.estimated_wait_seconds ?? 0,
  };
}

/** The principal's submit of their verification; the answer is API.md's SubmitResponse, without
 * the risk internals for a customer. */
export async function submitFor(env: Env, who: Principal, verificationId: string) {
  const db = database(env.DB);
  const verification = await verificationFor(db, who, verificationId);
  if (!verification) throw notFound("Verification");
  return submitAnswerFor(who, await submitVerification(env, db, verification));
}
