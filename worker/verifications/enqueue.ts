// Putting a verification in its tenant's video-call queue: shared by submit (the automatic
// trigger) and the queue route (a manual request for a verification already submitted).
import type { Database } from "../db/client.ts";
import { documentsOf, type DocumentRow } from "../db/documents.ts";
import { userInTenant } from "../db/users.ts";
import type { VerificationRow } from "../db/verifications.ts";
import { newId } from "../ids.ts";
import { coordinatorFor } from "../calls/coordinator.ts";
import type { PriorityWord } from "../core/priority.ts";
import { verificationNeeds, type Outcome, type Requirement } from "../core/queue/index.ts";
import type { CallView } from "../schemas/messages.ts";

/** Enqueues `verification` at `priority`; the coordinator records the call on the verification. */
export async function enqueueVerification(
  env: Env,
  db: Database,
  verification: VerificationRow,
  priority: PriorityWord,
  fraudScore: number | null,
  /** The verification's documents when the caller has read them already. */
  known?: DocumentRow[],
): Promise<Outcome<CallView>> {
  const userInfo = verification.userInfo ? (JSON.parse(verification.userInfo) as { name?: string; language?: string }) : null;
  // The account's name is only needed when the customer gave none for this verification.
  const customer = userInfo?.name ? null : await userInTenant(db, verification.tenantId, verification.customerId);
  const docs = known ?? (await documentsOf(db, verification.id));
  const result = await coordinatorFor(env, verification.tenantId).enqueue({
    tenantId: verification.tenantId,
    callId: newId(),
    verificationId: verification.id,
    customerId: verification.customerId,
    // The name the customer gave for this verification, else their account's.
    userName: userInfo?.name ?? customer?.name ?? "Customer",
    priority,
    fraudScore,
    documents: docs.map((d) => ({
      id: d.id,
      doc_type: d.docType,
      document_hash: d.documentHash,
      ...(d.issuingCountry ? { issuing_country: d.issuingCountry } : {}),
    })),
    // Routing (issue 17): what the client app required, and what the verification tells.
    requirements: verification.requirements ? (JSON.parse(verification.requirements) as Requirement[]) : [],
    derivedRequirements: verificationNeeds({
      language: userInfo?.language,
      docTypes: docs.map((d) => d.docType),
      countries: docs.map((d) => d.issuingCountry),
    }),
  });
  return result;
}
