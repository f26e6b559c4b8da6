// The customer's phone-first flow. The server's verification record decides the step, so a
// reload (or coming back later) lands where the customer left off: details → documents →
// waiting room and video call → outcome.
import { useCallback, useEffect, useState } from "preact/hooks";
import type { z } from "zod";
import type { VerificationList } from "../../../../worker/schemas/verifications.ts";
import { ErrorNote } from "../../components/ErrorNote.tsx";
import { api, ApiFailure } from "../../lib/api.ts";
import { useI18n } from "../../lib/i18n.ts";
import type { Session } from "../../lib/session.ts";
import { customerView, type CustomerView, type Verification } from "../../lib/verifications.ts";
import { DetailsStep } from "./DetailsStep.tsx";
import { DocumentsStep } from "./DocumentsStep.tsx";
import { DownloadMyData } from "./DownloadMyData.tsx";
import { LeftQueue } from "./LeftQueue.tsx";
import { Outcome } from "./Outcome.tsx";
import { Steps, type StepName } from "./Steps.tsx";
import { WaitingRoom } from "./WaitingRoom.tsx";

const storageKey = (userId: string) => `verifyid.customer.${userId}.verification`;

const STEP_OF: Record<CustomerView, StepName> = {
  details: "details",
  documents: "documents",
  waiting: "call",
  "left-queue": "call",
  deciding: "result",
  outcome: "result",
  erased: "result",
};

export function Customer({ session }: { session: Session }) {
  const key = storageKey(session.user.id);
  const [verificationId, setVerificationId] = useState<string | null>(() => localStorage.getItem(key));
  const [verification, setVerification] = useState<Verification | null>(null);
  // Without a verification remembered on this device, look for the customer's latest one.
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const remember = (id: string | null) => {
    if (id) localStorage.setItem(key, id);
    else localStorage.removeItem(key);
    setVerificationId(id);
    setVerification(null);
    setLoading(id !== null);
  };

  const refresh = useCallback(async () => {
    if (!verificationId) return;
    try {
      setVerification(await api<Verification>(`/verifications/${verificationId}`));
      setError(null);
    } catch (err) {
      // Gone (or never ours): start again rather than show a dead end.
      if (err instanceof ApiFailure && err.status === 404) remember(null);
      else setError(err);
    } finally {
      setLoading(false);
    }
  }, [verificationId]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    if (verificationId) return;
    api<z.infer<typeof VerificationList>>("/verifications?limit=1")
      .then(({ items }) => (items[0] ? remember(items[0].id) : setLoading(false)))
      .catch(() => setLoading(false));
  }, []);

  const view = customerView(verification);

  // After the call the decision reaches the record a moment later: look again until it does.
  useEffect(() => {
    if (view !== "deciding") return;
    const timer = setInterval(() => void refresh(), 2000);
    return () => clearInterval(timer);
  }, [view, refresh]);

  const { t } = useI18n();
  useEffect(() => {
    document.title = t.customerTitle;
  }, [t]);

  let body;
  if (loading) body = <p class="muted">{t.loadingVerification}</p>;
  else if (!verification) body = <DetailsStep session={session} onCreated={(id) => remember(id)} />;
  else if (view === "documents") body = <DocumentsStep verification={verification} onChanged={refresh} />;
  else if (view === "waiting") body = <WaitingRoom key={verification.call!.id} verification={verification} onChanged={refresh} />;
  else if (view === "left-queue") body = <LeftQueue verification={verification} onChanged={refresh} />;
  else if (view === "deciding")
    body = (
      <div class="panel center" role="status">
        <h2>{t.thankYou}</h2>
        <p>{t.recordingResult}</p>
      </div>
    );
  else if (view === "erased")
    body = (
      <section class="panel center outcome muted" data-testid="outcome" data-status="erased" aria-live="polite">
        <h2>{t.erasedTitle}</h2>
        <p>{t.erasedText}</p>
        <p class="restart">
          <button class="link" onClick={() => remember(null)}>
            {t.startNew}
          </button>
        </p>
      </section>
    );
  else body = <Outcome verification={verification} onRestart={() => remember(null)} />;

  return (
    <div class="customer">
      <h1>{t.verifyYourIdentity}</h1>
      <Steps current={verificationId && loading ? "details" : STEP_OF[view]} finished={view === "outcome" || view === "erased"} />
      <ErrorNote error={error} />
      {body}
      {verification && view !== "erased" && <DownloadMyData verificationId={verification.id} />}
    </div>
  );
}
