// Public receipt check. A document is fingerprinted in this browser (it is never uploaded),
// its receipt is fetched by that fingerprint, and every proof in it is checked here with the
// log's own verification code. A receipt can also be pasted or opened from a file.
import { useEffect, useRef, useState } from "preact/hooks";
import { ErrorNote } from "../../components/ErrorNote.tsx";
import { ProgressBar } from "../../components/ProgressBar.tsx";
import { fileSize } from "../../lib/format.ts";
import { sha256OfFile } from "../../lib/hash.ts";
import { checkReceipt, isSha256Hex, lookupReceipt, type ReceiptReport } from "../../lib/receipts.ts";
import { ReceiptResult } from "./ReceiptResult.tsx";

type Source = { kind: "file"; name: string; size: number; hash: string } | { kind: "hash"; hash: string } | { kind: "pasted" };

type Phase =
  | { state: "idle" }
  | { state: "hashing"; fraction: number; name: string }
  | { state: "fetching" }
  | { state: "queued"; retryIn: number }
  | { state: "missing" }
  | { state: "done"; receipt: unknown; report: ReceiptReport }
  | { state: "error"; error: unknown };

const MAX_QUEUED_POLLS = 30;

export function Verify() {
  const [source, setSource] = useState<Source | null>(null);
  const [phase, setPhase] = useState<Phase>({ state: "idle" });
  const [pasted, setPasted] = useState("");
  const run = useRef(0);

  useEffect(() => {
    document.title = "Verify a receipt · VerifyID";
    const hash = new URLSearchParams(location.search).get("hash");
    if (hash && isSha256Hex(hash)) void byHash({ kind: "hash", hash: hash.toLowerCase() });
  }, []);

  /** Fetches the receipt for a fingerprint (waiting while the log takes it in), then checks it. */
  async function byHash(next: Extract<Source, { hash: string }>, id = ++run.current) {
    setSource(next);
    for (let polls = 0; polls < MAX_QUEUED_POLLS; polls++) {
      setPhase({ state: "fetching" });
      try {
        const found = await lookupReceipt(next.hash);
        if (id !== run.current) return;
        if (found.state === "missing") return setPhase({ state: "missing" });
        if (found.state === "found")
          return setPhase({ state: "done", receipt: found.receipt, report: await checkReceipt(found.receipt, next.hash) });
        setPhase({ state: "queued", retryIn: found.retryAfterSeconds });
        await new Promise((r) => setTimeout(r, found.retryAfterSeconds * 1000));
        if (id !== run.current) return;
      } catch (err) {
        if (id === run.current) setPhase({ state: "error", error: err });
        return;
      }
    }
    setPhase({ state: "error", error: new Error("The log has not taken this record in yet. Try again in a minute.") });
  }

  async function byFile(file: File) {
    const id = ++run.current;
    setSource(null);
    setPhase({ state: "hashing", fraction: 0, name: file.name });
    let hash: string;
    try {
      hash = await sha256OfFile(file, (fraction) => id === run.current && setPhase({ state: "hashing", fraction, name: file.name }));
    } catch {
      return setPhase({ state: "error", error: new Error(`${file.name} could not be read. Choose it again.`) });
    }
    if (id === run.current) await byHash({ kind: "file", name: file.name, size: file.size, hash }, id);
  }

  async function byReceipt(text: string) {
    const id = ++run.current;
    setSource({ kind: "pasted" });
    let receipt: unknown;
    try {
      receipt = JSON.parse(text);
    } catch {
      return setPhase({
        state: "error",
        error: new Error("That is not valid JSON. Paste the whole receipt, from the first { to the last }."),
      });
    }
    try {
      const report = await checkReceipt(receipt);
      if (id === run.current) setPhase({ state: "done", receipt, report });
    } catch (err) {
      if (id === run.current) setPhase({ state: "error", error: err });
    }
  }

  const busy = phase.state === "hashing" || phase.state === "fetching" || phase.state === "queued";
  return (
    <div class="verify">
      <h1>Verify a document receipt</h1>
      <p class="lead">
        Every document uploaded to VerifyID is recorded in a tamper-evident audit log. Check that a document is in the log, and that nobody
        has altered the log, without trusting this website's word for it: the proofs are checked here, in your browser.
      </p>
      <div class="verify-inputs">
        <section class="panel" aria-labelledby="by-file-title">
          <h2 id="by-file-title">Check a document</h2>
          <p class="muted">Choose the file you uploaded. It stays on this device: only its SHA-256 fingerprint is sent.</p>
          <label class="file-button">
            <input
              type="file"
              name="document"
              disabled={busy}
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                e.currentTarget.value = "";
                if (file) void byFile(file);
              }}
            />
            Choose a document
          </label>
        </section>
        <section class="panel" aria-labelledby="by-receipt-title">
          <h2 id="by-receipt-title">Check a receipt</h2>
          <label for="receipt-json">Paste a receipt (JSON)</label>
          <textarea
            id="receipt-json"
            name="receipt"
            rows={5}
            spellcheck={false}
            value={pasted}
            onInput={(e) => setPasted(e.currentTarget.value)}
            placeholder='{"version":"verifyid-receipt/v1", …}'
          />
          <div class="actions">
            <button class="primary" disabled={!pasted.trim()} onClick={() => void byReceipt(pasted)}>
              Check this receipt
            </button>
            <label class="link-button">
              <input
                type="file"
                accept="application/json,.json"
                onChange={async (e) => {
                  const file = e.currentTarget.files?.[0];
                  e.currentTarget.value = "";
                  if (!file) return;
                  const text = await file.text();
                  setPasted(text);
                  void byReceipt(text);
                }}
              />
              or open a receipt file
            </label>
          </div>
        </section>
      </div>

      <div class="verify-result" aria-live="polite">
        {source?.kind === "file" && (
          <p class="subject">
            <strong>{source.name}</strong> ({fileSize(source.size)}) · SHA-256 <code data-testid="file-hash">{source.hash}</code>
          </p>
        )}
        {source?.kind === "hash" && (
          <p class="subject">
            Document fingerprint (SHA-256) <code>{source.hash}</code>
          </p>
        )}
        {phase.state === "hashing" && <ProgressBar value={phase.fraction} label={`Fingerprinting ${phase.name} on this device`} />}
        {phase.state === "fetching" && <p class="muted">Fetching the receipt…</p>}
        {phase.state === "queued" && (
          <p class="muted">The document is recorded and waiting to enter the log. Checking again in {phase.retryIn} s…</p>
        )}
        {phase.state === "missing" && (
          <div class="notice warn" role="alert" data-testid="receipt-missing">
            <p>
              <strong>No receipt for this document.</strong> It was never uploaded, or this is a different file: changing even one byte
              gives a different fingerprint.
            </p>
          </div>
        )}
        {phase.state === "error" && <ErrorNote error={phase.error} />}
        {phase.state === "done" && (
          <ReceiptResult
            receipt={phase.receipt}
            report={phase.report}
            documentKnown={source !== null && source.kind !== "pasted"}
            {...(source && source.kind !== "pasted" ? { onRefresh: () => void byHash(source) } : {})}
          />
        )}
      </div>
    </div>
  );
}
