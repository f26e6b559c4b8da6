// A verification as GET /api/v1/verifications/{id} returns it (the worker's schema), and the
// words used for its decisions.
import type { z } from "zod";
import type { Decision } from "../../../worker/schemas/video-calls.ts";
import type { DocumentSummary as DocumentSummarySchema, VerificationStatus } from "../../../worker/schemas/verifications.ts";

export type { Decision } from "../../../worker/schemas/video-calls.ts";
export type { Verification } from "../../../worker/schemas/verifications.ts";
export type DocumentSummary = z.infer<typeof DocumentSummarySchema>;

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
