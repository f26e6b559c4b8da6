// A verification as GET /api/v1/verifications/{id} returns it, and the words used for its
// risk and decisions.
import type { CallView } from "../../../worker/schemas/messages.ts";

export type DocumentSummary = {
  id: string;
  doc_type: string;
  content_type: string;
  size: number;
  document_hash: string;
  audit_record_id: string | null;
  created_at: string;
};

export type RiskLevel = "low" | "medium" | "high" | "critical";

export type FraudAnalysis = { fraud_score: number; risk_level: RiskLevel; flags: string[]; risk_source: "ai_core" | "rule_based" };

export type VerificationStatus =
  | "created"
  | "pending_video_call"
  | "in_video_call"
  | "approved"
  | "rejected"
  | "needs_review"
  | "cancelled";

export type Verification = {
  id: string;
  status: VerificationStatus;
  user_info: { name?: string; email?: string; date_of_birth?: string } | null;
  documents: DocumentSummary[];
  fraud_analysis: FraudAnalysis | null;
  call_id: string | null;
  call: CallView | null;
  decision: string | null;
  decision_reason: string | null;
  created_at: string;
  submitted_at: string | null;
  decided_at: string | null;
};

export type Decision = "approved" | "rejected" | "needs_review";

export const FINAL_STATUSES: readonly VerificationStatus[] = ["approved", "rejected", "needs_review", "cancelled"];

/** Reason codes (upper-case, API.md) an agent can give with each decision, and how the customer may read them. */
export const REASONS: Record<Decision, Array<{ code: string; label: string; customer?: string }>> = {
  approved: [{ code: "IDENTITY_CONFIRMED", label: "Identity confirmed" }],
  rejected: [
    { code: "DOC_MISMATCH", label: "Document does not match the person", customer: "The document did not match the person on the call." },
    {
      code: "FACE_MISMATCH",
      label: "Face does not match the photo",
      customer: "We could not match your face to the photo on your document.",
    },
    { code: "DOC_EXPIRED", label: "Document expired", customer: "The document you provided has expired." },
    { code: "DOC_UNREADABLE", label: "Document unreadable", customer: "We could not read your document clearly." },
    { code: "SUSPECTED_FRAUD", label: "Suspected fraud" },
    { code: "CUSTOMER_DECLINED", label: "Customer declined to continue", customer: "The verification was stopped at your request." },
  ],
  needs_review: [
    { code: "ADDITIONAL_DOCS_NEEDED", label: "More documents needed", customer: "We need another document from you." },
    { code: "POOR_VIDEO_QUALITY", label: "Poor video quality", customer: "The video was not clear enough." },
    { code: "SUPERVISOR_REVIEW", label: "Supervisor review" },
    { code: "TECHNICAL_ISSUE", label: "Technical issue", customer: "A technical problem interrupted the call." },
  ],
};

/** The customer-facing sentence for a reason code, if there is one to share. */
export function reasonForCustomer(code: string | null): string | null {
  if (!code) return null;
  for (const list of Object.values(REASONS)) {
    const reason = list.find((r) => r.code === code);
    if (reason) return reason.customer ?? null;
  }
  return null;
}
