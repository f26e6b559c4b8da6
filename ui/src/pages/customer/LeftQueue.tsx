// The call was cancelled or dropped while the verification still needs one: offer a new place
// in line (a customer's own request is queued as urgent).
import { useState } from "preact/hooks";
import { ErrorNote } from "../../components/ErrorNote.tsx";
import { api } from "../../lib/api.ts";
import { useI18n } from "../../lib/i18n.ts";
import type { Verification } from "../../lib/verifications.ts";

const WHY = { customer_cancelled: "youLeftLine", staff_cancelled: "staffCancelled" } as const;

export function LeftQueue({ verification, onChanged }: { verification: Verification; onChanged: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const reason = verification.call?.end_reason;
  const { t } = useI18n();
  const why = reason && Object.hasOwn(WHY, reason) ? t[WHY[reason as keyof typeof WHY]] : t.callDidNotHappen;

  async function requeue() {
    setBusy(true);
    setError(null);
    try {
      await api("/video-calls/queue", { method: "POST", json: { verification_id: verification.id } });
      await onChanged();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <section class="panel center">
      <h2>{t.notInLine}</h2>
      <p>
        {why} {t.documentsSafe}
      </p>
      <button class="primary big" disabled={busy} onClick={() => void requeue()}>
        {busy ? t.joining : t.joinAgain}
      </button>
      <ErrorNote error={error} />
    </section>
  );
}
