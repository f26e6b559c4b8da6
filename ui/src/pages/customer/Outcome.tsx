// Step 4: the decision, in plain words, with the documents and their audit receipts.
import { reasonForCustomer, type Verification } from "../../lib/verifications.ts";
import { DocumentList } from "./DocumentList.tsx";

const OUTCOME: Record<string, { icon: string; title: string; text: string; tone: string }> = {
  approved: { icon: "✓", title: "You're verified", text: "Your identity has been confirmed. You can close this page.", tone: "ok" },
  rejected: {
    icon: "✕",
    title: "We couldn't verify your identity",
    text: "If you think this is a mistake, contact our support team and mention your verification number.",
    tone: "bad",
  },
  needs_review: {
    icon: "…",
    title: "We need a little more time",
    text: "A specialist will review your verification. We'll contact you by email; there is nothing more to do right now.",
    tone: "warn",
  },
  cancelled: { icon: "–", title: "This verification was cancelled", text: "You can start a new one at any time.", tone: "muted" },
};

export function Outcome({ verification, onRestart }: { verification: Verification; onRestart: () => void }) {
  const outcome = OUTCOME[verification.status] ?? OUTCOME.cancelled!;
  const reason = reasonForCustomer(verification.decision_reason);
  return (
    <div class="stack">
      <section class={`panel center outcome ${outcome.tone}`} data-testid="outcome" data-status={verification.status} aria-live="polite">
        <div class="outcome-icon" aria-hidden="true">
          {outcome.icon}
        </div>
        <h2>{outcome.title}</h2>
        {reason && <p>{reason}</p>}
        <p>{outcome.text}</p>
        <p class="muted">
          Verification number <code>{verification.id}</code>
        </p>
      </section>
      <DocumentList documents={verification.documents} />
      <button class="secondary big" onClick={onRestart}>
        Start a new verification
      </button>
    </div>
  );
}
