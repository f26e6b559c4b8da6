// A document's place in the audit log, polled until its anchor settles, with a link to check
// the receipt independently on /verify.
import { useEffect, useState } from "preact/hooks";
import type { Anchor } from "../../../worker/schemas/receipts.ts";
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

function describe(status: Status): string {
  switch (status.state) {
    case "loading":
      return "Checking the audit log…";
    case "queued":
      return "Being added to the tamper-evident audit log…";
    case "missing":
      return "Not in the audit log yet.";
    case "error":
      return "The audit log could not be reached right now.";
    case "found": {
      const entry = `Recorded in the audit log (entry #${status.index})`;
      if (status.anchor.status === "confirmed") {
        return `${entry}, anchored on the Thronos chain${status.anchor.block_height != null ? ` in block ${status.anchor.block_height}` : ""}.`;
      }
      return status.anchor.status === "failed" ? `${entry}; anchoring on the chain is being retried.` : `${entry}; anchoring on the chain…`;
    }
  }
}

export function ReceiptStatus({ documentHash }: { documentHash: string }) {
  const [status, setStatus] = useState<Status>({ state: "loading" });
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
      <span aria-live="polite">{describe(status)}</span>{" "}
      {status.state === "found" && <a href={`/verify?hash=${documentHash}`}>Check the receipt</a>}
    </p>
  );
}
