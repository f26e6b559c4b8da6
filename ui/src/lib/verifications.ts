// A verification as GET /api/v1/verifications/{id} returns it (the worker's schema), and the
// words used for its decisions.
import type { z } from "zod";
import type { Messages } from "../i18n/en.ts";
import type { Decision } from "../../../worker/schemas/video-calls.ts";
import type { DocumentSummary as DocumentSummarySchema, VerificationStatus } from "../../../worker/schemas/verifications.ts";

export type { Decision } from "../../../worker/schemas/video-calls.ts";
export type { Verification } from "../../../worker/schemas/verifications.ts";
export type DocumentSummary = z.infer<typeof DocumentSummarySchema>;

export const FINAL_STATUSES: readonly VerificationStatus[] = ["approved", "rejected", "needs_review", "cancelled"];

/** The catalogue messages that tell a customer a decision's reason (ui/src/i18n). */
type CustomerReason = Extract<keyof Messages, `reason${string}`>;

/** Reason codes (upper-case, API.md) an agent can give with each decision, and how the customer may read them. */
export const REASONS: Record<Decision, Array<{ code: string; label: string; customer?: CustomerReason }>> = {
  approved: [{ code: "IDENTITY_CONFIRMED", label: "Identity confirmed" }],
  rejected: [
    { code: "DOC_MISMATCH", label: "Document does not match the person", customer: "reasonDocMismatch" },
    {
      code: "FACE_MISMATCH",
      label: "Face does not match the photo",
      customer: "reasonFaceMismatch",
    },
    { code: "DOC_EXPIRED", label: "Document expired", customer: "reasonDocExpired" },
    { code: "DOC_UNREADABLE", label: "Document unreadable", customer: "reasonDocUnreadable" },
    { code: "SUSPECTED_FRAUD", label: "Suspected fraud" },
    { code: "CUSTOMER_DECLINED", label: "Customer declined to continue", customer: "reasonCustomerDeclined" },
  ],
  needs_review: [
    { code: "ADDITIONAL_DOCS_NEEDED", label: "More documents needed", customer: "reasonMoreDocs" },
    { code: "POOR_VIDEO_QUALITY", label: "Poor video quality", customer: "reasonPoorVideo" },
    { code: "SUPERVISOR_REVIEW", label: "Supervisor review" },
    { code: "TECHNICAL_ISSUE", label: "Technical issue", customer: "reasonTechnical" },
  ],
};

/** The catalogue key of the customer-facing sentence for a reason code, if there is one to share. */
export function customerReasonKey(code: string | null): CustomerReason | null {
  if (!code) return null;
  for (const list of Object.values(REASONS)) {
    const reason = list.find((r) => r.code === code);
    if (reason) return reason.customer ?? null;
  }
  return null;
}
