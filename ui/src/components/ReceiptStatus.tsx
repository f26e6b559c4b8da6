// A document's place in the audit log, polled until its anchor settles, with a link to check
// the receipt independently on /verify.
import { useEffect, useState } from "preact/hooks";
import type { Anchor } from "../../../worker/schemas/receipts.ts";
import { useI18n, type I18n } from "../lib/i18n.ts";
import { lookupReceipt } from "../lib/receipt-lookup.ts";

type Status =
  | { state: "loading" }
  | { state: "queued" }
  | { state: "missing" }
  | { state: "error" }
  | { state: "found"; index: number; anchor: Anchor };

const POLL_QUEUED_MS = 2_000;
const POLL_ANCHOR_MS = 5_000;
const MAX_POLLS = 60;

function describe(status: Status, { t, number }: I18n): string {
  switch (status.state) {
    case "loading":
      return t.receiptLoading;
    case "queued":
      return t.receiptQueued;
    case "missing":
      return t.receiptMissing;
    case "error":
      return t.receiptError;
    case "found": {
      const entry = t.receiptEntry(number(status.index));
      if (status.anchor.status === "confirmed") {
        return t.receiptConfirmed(entry, status.anchor.block_height != null ? number(status.anchor.block_height) : null);
      }
      return status.anchor.status === "failed" ? t.receiptRetrying(entry) : t.receiptAnchoring(entry);
    }
  }
}

export function ReceiptStatus({ documentHash }: { documentHash: string }) {
  const [status, setStatus] = useState<Status>({ state: "loading" });
  const i18n = useI18n();
  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let polls = 0;
    const poll = async () => {
      let next: Status;
      try {
        const found = await lookupReceipt(documentHash, abort.signal);
        next =
          found.state === "found"
            ? { state: "found", index: found.receipt.leaf.index, anchor: found.receipt.anchor }
            : { state: found.state };
      } catch {
        if (abort.signal.aborted) return;
        next = { state: "error" };
      }
      setStatus(next);
      const settled = next.state === "found" && next.anchor.status === "confirmed";
      if (!settled && ++polls < MAX_POLLS) timer = setTimeout(poll, next.state === "found" ? POLL_ANCHOR_MS : POLL_QUEUED_MS);
    };
    void poll();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [documentHash]);

  return (
    <p class={`receipt-status ${status.state === "found" ? status.anchor.status : status.state}`} data-receipt-state={status.state}>
      <span aria-live="polite">{describe(status, i18n)}</span>{" "}
      {status.state === "found" && <a href={`/verify?hash=${documentHash}`}>{i18n.t.checkReceipt}</a>}
    </p>
  );
}
