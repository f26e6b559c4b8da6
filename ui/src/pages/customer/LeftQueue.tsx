// The call was cancelled or dropped while the verification still needs one: offer a new place
// in line (a customer's own request is queued as urgent).
import { useState } from "preact/hooks";
import { ErrorNote } from "../../components/ErrorNote.tsx";
import { api } from "../../lib/api.ts";
import type { Verification } from "../../lib/verifications.ts";

const WHY: Record<string, string> = {
  customer_cancelled: "You left the line.",
  staff_cancelled: "Our team cancelled your call.",
};

export function LeftQueue({ verification, onChanged }: { verification: Verification; onChanged: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const reason = verification.call?.end_reason;

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
      <h2>You're not in line for a call</h2>
      <p>{(reason && WHY[reason]) ?? "Your call did not take place."} Your documents are safe; you only need the video call to finish.</p>
      <button class="primary big" disabled={busy} onClick={() => void requeue()}>
        {busy ? "Joining…" : "Join the line again"}
      </button>
      <ErrorNote error={error} />
    </section>
  );
}
