// Step 4: the decision, in plain words, with the documents and their audit receipts. The
// journey ends here: the result is the page, and starting again is a small, explained link
// for the rare customer who was asked to verify again.
import { useI18n } from "../../lib/i18n.ts";
import { customerReasonKey, type Verification } from "../../lib/verifications.ts";
import { DocumentList } from "./DocumentList.tsx";
import { ReturnToApp } from "./ReturnToApp.tsx";

const OUTCOME = {
  approved: { icon: "✓", title: "approvedTitle", text: "approvedText", tone: "ok" },
  rejected: { icon: "✕", title: "rejectedTitle", text: "rejectedText", tone: "bad" },
  needs_review: { icon: "…", title: "reviewTitle", text: "reviewText", tone: "warn" },
  cancelled: { icon: "–", title: "cancelledTitle", text: "cancelledText", tone: "muted" },
} as const;

export function Outcome({ verification, onRestart }: { verification: Verification; onRestart: () => void }) {
  const { t, date } = useI18n();
  const outcome = OUTCOME[verification.status as keyof typeof OUTCOME] ?? OUTCOME.cancelled;
  const reasonKey = customerReasonKey(verification.decision_reason);
  return (
    <div class="stack">
      <section class={`panel center outcome ${outcome.tone}`} data-testid="outcome" data-status={verification.status} aria-live="polite">
        <div class="outcome-icon" aria-hidden="true">
          {outcome.icon}
        </div>
        <h2>{t[outcome.title]}</h2>
        {reasonKey && <p>{t[reasonKey]}</p>}
        <p>{t[outcome.text]}</p>
        {verification.decided_at && <p class="muted">{t.decidedOn(date(verification.decided_at, true))}</p>}
        <p class="muted">
          {t.verificationNumber} <code>{verification.id}</code>
        </p>
      </section>
      <ReturnToApp />
      <DocumentList documents={verification.documents} />
      <p class="restart">
        <button class="link" onClick={onRestart} aria-describedby="restart-hint">
          {t.startNew}
        </button>
        <span id="restart-hint" class="hint">
          {" "}
          {t.startNewHint}
        </span>
      </p>
    </div>
  );
}
