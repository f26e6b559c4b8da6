// The outcome of a receipt check: a verdict, each check with what it proves, the chain
// anchor, and the receipt itself to download.
import { useEffect, useMemo, useRef } from "preact/hooks";
import type { Anchor, CheckName, Receipt, ReceiptReport } from "../../lib/receipts.ts";

const CHECKS: Record<CheckName, { title: string; proves: (r: Partial<Receipt>) => string }> = {
  document: { title: "Matches your document", proves: () => "The log entry commits to your document's SHA-256 fingerprint." },
  leaf_hash: { title: "Leaf hash", proves: () => "The entry's hash is SHA-256(0x00 ‖ entry data), as RFC 6962 requires." },
  inclusion: {
    title: "Inclusion proof",
    proves: (r) =>
      `The entry is #${r.leaf?.index ?? "?"} in the log tree of ${r.checkpoint?.tree_size ?? "?"} entries with the checkpoint's root.`,
  },
  checkpoint_body: { title: "Checkpoint", proves: () => "The signed checkpoint text states this log's origin, tree size and root hash." },
  signature: { title: "Signature", proves: () => "The checkpoint carries a valid Ed25519 signature by the log's public key." },
  key: { title: "Signing key", proves: (r) => `The checkpoint names the log's current key (${r.checkpoint?.key_id ?? "none"}).` },
};

const ORDER: CheckName[] = ["document", "leaf_hash", "inclusion", "checkpoint_body", "signature", "key"];

const ANCHOR_WORDS: Record<Anchor["status"], string> = {
  confirmed: "Anchored on the Thronos chain",
  pending: "Waiting to be anchored on the Thronos chain",
  failed: "Anchoring failed; the log retries it",
};

function AnchorDetails({ anchor, onRefresh }: { anchor: Anchor | undefined; onRefresh: (() => void) | undefined }) {
  if (!anchor) return <p class="error">This receipt has no anchor section.</p>;
  const rows: Array<[string, string | number | undefined]> = [
    ["Transaction", anchor.tx_id],
    ["Block height", anchor.block_height],
    ["Anchored tree size", anchor.anchored_tree_size],
    ["Anchored root", anchor.anchored_root],
    ["Node", anchor.node_url],
    ["Confirmed", anchor.confirmed_at && new Date(anchor.confirmed_at).toLocaleString()],
  ];
  return (
    <section class="anchor" aria-labelledby="anchor-title" data-anchor-status={anchor.status}>
      <h3 id="anchor-title">
        <span class={`status ${anchor.status}`}>{anchor.status}</span> {ANCHOR_WORDS[anchor.status] ?? anchor.status}
      </h3>
      <dl class="kv">
        {rows
          .filter(([, v]) => v !== undefined && v !== "")
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>
                <code>{String(v)}</code>
              </dd>
            </div>
          ))}
      </dl>
      <p class="muted">The anchor is reported by this server; confirming the transaction on the chain needs a Thronos node.</p>
      {anchor.status !== "confirmed" && onRefresh && (
        <button class="secondary small" onClick={onRefresh}>
          Check the anchor again
        </button>
      )}
    </section>
  );
}

type Props = {
  receipt: unknown;
  report: ReceiptReport;
  /** True when the receipt was fetched for a document (the "matches your document" check ran). */
  documentKnown: boolean;
  /** Fetches the receipt again (for a newer anchor status), when it came from the server. */
  onRefresh?: () => void;
};

export function ReceiptResult({ receipt, report, documentKnown, onRefresh }: Props) {
  const r = (receipt ?? {}) as Partial<Receipt>;
  const download = useMemo(
    () => URL.createObjectURL(new Blob([JSON.stringify(receipt, null, 2)], { type: "application/json" })),
    [receipt],
  );
  useEffect(() => () => URL.revokeObjectURL(download), [download]);
  const checks = ORDER.map((name) => report.checks.find((c) => c.name === name)).filter((c) => c !== undefined);
  const verdict = useRef<HTMLDivElement>(null);
  // On a phone the result lands below the inputs: bring it into view.
  useEffect(() => verdict.current?.scrollIntoView({ block: "nearest", behavior: "smooth" }), [receipt]);
  const fileName = `verifyid-receipt-${String(r.leaf?.record_id ?? "record").replace(/[^a-z0-9-]+/gi, "-")}.json`;
  return (
    <div class="receipt-result" data-testid="receipt-result" data-ok={String(report.ok)}>
      <div ref={verdict} class={`verdict ${report.ok ? "ok" : "bad"}`} role="status">
        <span class="verdict-icon" aria-hidden="true">
          {report.ok ? "✓" : "✕"}
        </span>
        <div>
          <strong>{report.ok ? "The receipt checks out." : "This receipt does not check out."}</strong>
          <p>
            {report.ok
              ? documentKnown
                ? "Your document is in the audit log, and the log vouches for it with its signature."
                : "The receipt's entry is in the audit log, and the log vouches for it with its signature."
              : "Something in it was changed, or it was not issued by this log. Do not rely on it."}
          </p>
        </div>
      </div>
      <ul class="checks">
        {checks.map((check) => (
          <li key={check.name} class={check.ok ? "ok" : "bad"} data-check={check.name} data-ok={String(check.ok)}>
            <span class="check-icon" aria-hidden="true">
              {check.ok ? "✓" : "✕"}
            </span>
            <span>
              <strong>{CHECKS[check.name].title}</strong>
              <span class="sr-only">{check.ok ? " passed" : " failed"}</span>
              <span class="muted"> {CHECKS[check.name].proves(r)}</span>
            </span>
          </li>
        ))}
      </ul>
      {report.errors.length > 0 && (
        <details class="errors" open>
          <summary>What failed</summary>
          <ul>
            {report.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </details>
      )}
      <AnchorDetails anchor={r.anchor} onRefresh={onRefresh} />
      <dl class="kv small">
        <div>
          <dt>Log</dt>
          <dd>
            <code>{r.checkpoint?.origin ?? "–"}</code>
          </dd>
        </div>
        <div>
          <dt>Checkpoint time</dt>
          <dd>{r.checkpoint?.timestamp ? new Date(r.checkpoint.timestamp).toLocaleString() : "–"}</dd>
        </div>
        <div>
          <dt>Root hash</dt>
          <dd>
            <code>{r.checkpoint?.root_hash ?? "–"}</code>
          </dd>
        </div>
        <div>
          <dt>Public key</dt>
          <dd>
            <code>{report.key.public_key}</code> ({report.key.key_id})
          </dd>
        </div>
      </dl>
      <a class="button secondary" href={download} download={fileName}>
        Download the receipt
      </a>
    </div>
  );
}
