// A call offered to this agent: who, how urgent, how long the offer stays open, and
// Accept (A) / Reject (R).
import { PriorityBadge } from "../../components/PriorityBadge.tsx";
import { useNow } from "../../lib/clock.ts";
import { clockDuration, docTypeLabel, score } from "../../lib/format.ts";
import type { Offer } from "../../lib/staff-queue.ts";
import { useStaffText } from "../../lib/staff-i18n.ts";

type Props = { offer: Offer; serverOffsetMs: number; busy: boolean; onAccept: () => void; onReject: () => void };

export function OfferBanner({ offer, serverOffsetMs, busy, onAccept, onReject }: Props) {
  const now = useNow() + serverOffsetMs;
  const s = useStaffText();
  const expiresAt = Date.parse(offer.expires_at);
  const left = Math.max(0, Math.floor((expiresAt - now) / 1000));
  // The bar runs from the moment this page learnt of the offer.
  const total = Math.max(1, left, Math.ceil((expiresAt - (offer.seen_at + serverOffsetMs)) / 1000));
  const { call } = offer;
  return (
    <section
      class={`offer ${offer.priority}`}
      role="alertdialog"
      aria-labelledby="offer-title"
      aria-describedby="offer-desc"
      data-call-id={offer.call_id}
    >
      <div class="offer-main">
        <h2 id="offer-title">
          <PriorityBadge priority={offer.priority} /> {s.incomingCall(offer.user_name)}
        </h2>
        <p id="offer-desc" class="muted">
          {s.offerSummary(
            clockDuration(call.wait_seconds),
            score(call.fraud_score),
            call.documents.map((d) => docTypeLabel(d.doc_type)).join(", ") || s.noDocumentsOffered,
          )}
        </p>
      </div>
      <div class="offer-timer" aria-live="off">
        <span class="offer-seconds" data-testid="offer-countdown">
          {s.seconds(left)}
        </span>
        <progress max={total} value={left} aria-label={s.timeLeftToAnswer} />
      </div>
      <div class="offer-actions">
        <button class="primary" disabled={busy} onClick={onAccept} aria-keyshortcuts="A">
          {s.accept} <kbd>A</kbd>
        </button>
        <button class="secondary" disabled={busy} onClick={onReject} aria-keyshortcuts="R">
          {s.reject} <kbd>R</kbd>
        </button>
      </div>
    </section>
  );
}
