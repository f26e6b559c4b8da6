// Fraud scoring at submit time: the Thronos AI core node when it gives a real answer, otherwise
// the rule-based score, marked as such (THRONOS.md "AI fraud scoring"). The customer is waiting,
// so the AI gets one short attempt; its explanation text is never passed on, because in the
// "AI unavailable" case it carries raw internal errors.
import { ruleBasedRisk, riskLevelFor } from "../../core/risk.ts";
import type { RiskDocument, RiskInput, RuleRisk } from "../../core/risk.ts";
import { RiskLevel } from "../../schemas/verifications.ts";
import type { ThronosConfig } from "./config.ts";
import { callNode } from "./http.ts";
import type { NodeResult } from "./http.ts";
import { AiFraudAnswer } from "./schemas.ts";

export type ScoredDocument = RiskDocument & { document_hash: string };
export type ScoreInput = Omit<RiskInput, "documents"> & { documents: readonly ScoredDocument[] };

export type FallbackReason = "timeout" | "unreachable" | "unauthorized" | "http_error" | "invalid_response" | "ai_unavailable";

export type RiskAssessment = RuleRisk & {
  risk_source: "ai_core" | "rule_based";
  /** Why the AI answer was not used; present only when risk_source is "rule_based". */
  fallback_reason?: FallbackReason;
};

const AI_UNAVAILABLE = /^\s*AI unavailable:/i;

/** What the AI node sees: document metadata and hashes (never the bytes) and the user info. */
function aiPayload(input: ScoreInput) {
  return {
    document_count: input.documents.length,
    doc_types: [...new Set(input.documents.map((doc) => doc.doc_type))],
    total_size: input.documents.reduce((sum, doc) => sum + doc.size, 0),
    documents: input.documents.map((doc) => ({
      doc_type: doc.doc_type,
      content_type: doc.content_type,
      size: doc.size,
      sha256: doc.document_hash,
    })),
    reused_document_count: input.reusedDocumentCount,
    user_info: input.user_info,
  };
}

/** The AI's answer scaled to 0..1, or why it cannot be used. */
function readAiAnswer(result: NodeResult): RuleRisk | FallbackReason {
  if (!result.ok) {
    if (result.kind !== "http") return result.kind;
    return result.status === 401 || result.status === 403 ? "unauthorized" : "http_error";
  }
  if (result.status !== 200) return "http_error";
  const answer = AiFraudAnswer.safeParse(result.body);
  if (!answer.success) return "invalid_response";
  const { fraud_score, risk_level, flags, explanation } = answer.data;
  if (AI_UNAVAILABLE.test(explanation)) return "ai_unavailable";
  const score = Math.round(fraud_score * 100) / 10_000;
  const level = RiskLevel.safeParse(risk_level);
  return { fraud_score: score, risk_level: level.success ? level.data : riskLevelFor(score), flags };
}

/**
 * Scores a verification with the AI core node (`X-API-Key`, one attempt within
 * `aiTimeoutMs`); on a timeout, a lost connection, a non-200, a wrong key, an unreadable body
 * or the node's fake "AI unavailable" answer, returns the rule-based score with the reason.
 */
export async function scoreRisk(config: ThronosConfig, input: ScoreInput): Promise<RiskAssessment> {
  const result = await callNode(config.aiUrl, {
    method: "POST",
    path: "/v1/fraud/document",
    headers: { "X-API-Key": config.aiKey },
    json: aiPayload(input),
    timeoutMs: config.aiTimeoutMs,
    retries: 0,
  });
  const answer = readAiAnswer(result);
  if (typeof answer !== "string") return { ...answer, risk_source: "ai_core" };
  return { ...ruleBasedRisk(input), risk_source: "rule_based", fallback_reason: answer };
}
