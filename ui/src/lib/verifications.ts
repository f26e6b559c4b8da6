// A verification as GET /api/v1/verifications/{id} returns it (the worker's schema), which
// screen of the customer's journey it needs, and the words used for its decisions.
import type { z } from "zod";
import type { Messages } from "../i18n/en.ts";
import type { Decision } from "../../../worker/schemas/video-calls.ts";
import type { DocumentSummary as DocumentSummarySchema, VerificationStatus } from "../../../worker/schemas/verifications.ts";

export type { Decision } from "../../../worker/schemas/video-calls.ts";
export type { Verification } from "../../../worker/schemas/verifications.ts";
import type { Verification } from "../../../worker/schemas/verifications.ts";
export type DocumentSummary = z.infer<typeof DocumentSummarySchema>;

export const FINAL_STATUSES: readonly VerificationStatus[] = ["approved", "rejected", "needs_review", "cancelled"];

/** The customer's screens (ui/src/pages/customer/Customer.tsx). */
export type CustomerView = "details" | "documents" | "waiting" | "left-queue" | "deciding" | "outcome" | "erased";

/** Which screen a verification in this state needs: the server's record decides, so a reload
 * lands where the customer left off. Erased is an end of its own (README "Data lifecycle"):
 * its data is gone, so it is neither a decision nor a call the customer left. */
export function customerView(v: Pick<Verification, "status" | "call"> | null): CustomerView {
  if (!v) return "details";
  if (v.status === "created") return "documents";
  if (v.status === "erased") return "erased";
  if (FINAL_STATUSES.includes(v.status)) return "outcome";
  const call = v.call?.status;
  if (!call || call === "cancelled" || call === "abandoned") return "left-queue";
  return call === "completed" ? "deciding" : "waiting";
}

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
