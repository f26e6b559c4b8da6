// Step 2: documents. Each file is fingerprinted here first (SHA-256, on the device), then
// uploaded with progress; the server's fingerprint is shown next to this device's. Then the
// customer submits for review, or asks for an agent straight away.
import { useState } from "preact/hooks";
import type { z } from "zod";
import type { UploadedDocument } from "../../../../worker/schemas/verifications.ts";
import { ErrorNote } from "../../components/ErrorNote.tsx";
import { ProgressBar } from "../../components/ProgressBar.tsx";
import { api, uploadWithProgress } from "../../lib/api.ts";
import { DOC_TYPE_LABEL, fileSize } from "../../lib/format.ts";
import type { Verification } from "../../lib/verifications.ts";
import { DocumentList } from "./DocumentList.tsx";
import { rememberLocalHash } from "./local-hashes.ts";

const MAX_BYTES = 10 * 1024 * 1024;
const ACCEPTED = ["image/jpeg", "image/png", "image/webp", "application/pdf"];

type Progress = { phase: "hashing" | "uploading"; fraction: number; name: string };

/** The next document most people add after the ones they have. */
function suggestedType(have: Set<string>): string {
  if (!have.has("passport") && !have.has("id_card") && !have.has("driver_license")) return "passport";
  return have.has("selfie") ? "proof_of_address" : "selfie";
}

export function DocumentsStep({ verification, onChanged }: { verification: Verification; onChanged: () => Promise<void> }) {
  const [docType, setDocType] = useState(() => suggestedType(new Set(verification.documents.map((d) => d.doc_type))));
  const [progress, setProgress] = useState<Progress | null>(null);
  const [busy, setBusy] = useState<"submit" | "call" | null>(null);
  const [error, setError] = useState<unknown>(null);
  const count = verification.documents.length;

  async function upload(file: File) {
    setError(null);
    if (file.size > MAX_BYTES) return setError(new Error(`${file.name} is ${fileSize(file.size)}; files can be at most 10 MB.`));
    if (file.type && !ACCEPTED.includes(file.type)) return setError(new Error("Please choose a JPEG, PNG or WebP photo, or a PDF."));
    try {
      setProgress({ phase: "hashing", fraction: 0, name: file.name });
      // Loaded on the first upload: the hashing code is not part of the page's first download.
      const { sha256OfFile } = await import("../../lib/hash.ts");
      const localHash = await sha256OfFile(file, (fraction) => setProgress({ phase: "hashing", fraction, name: file.name }));
      setProgress({ phase: "uploading", fraction: 0, name: file.name });
      const form = new FormData();
      form.set("doc_type", docType);
      form.set("file", file);
      const stored = await uploadWithProgress<z.infer<typeof UploadedDocument>>(
        `/verifications/${verification.id}/documents`,
        form,
        (fraction) => setProgress({ phase: "uploading", fraction, name: file.name }),
      );
      rememberLocalHash(stored.document_id, localHash);
      await onChanged();
      setDocType(suggestedType(new Set([...verification.documents.map((d) => d.doc_type), docType])));
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  }

  async function act(kind: "submit" | "call") {
    setBusy(kind);
    setError(null);
    try {
      if (kind === "submit") await api(`/verifications/${verification.id}/submit`, { method: "POST" });
      else await api("/video-calls/queue", { method: "POST", json: { verification_id: verification.id } });
      await onChanged();
    } catch (err) {
      setError(err);
      setBusy(null);
    }
  }

  return (
    <div class="stack">
      <section class="panel" aria-labelledby="upload-title">
        <h2 id="upload-title">{count ? "Add another document" : "Add your ID document"}</h2>
        <p class="muted">A passport, ID card or driving licence, then a selfie. Photos or PDFs up to 10 MB.</p>
        <label for="doc-type">Document type</label>
        <select
          id="doc-type"
          name="doc_type"
          value={docType}
          disabled={progress !== null}
          onChange={(e) => setDocType(e.currentTarget.value)}
        >
          {Object.entries(DOC_TYPE_LABEL).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <label class={`file-button ${progress ? "disabled" : ""}`}>
          <input
            name="file"
            type="file"
            accept={ACCEPTED.join(",")}
            disabled={progress !== null}
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = "";
              if (file) void upload(file);
            }}
          />
          Take a photo or choose a file
        </label>
        {progress && (
          <div role="status" aria-live="polite">
            <ProgressBar
              value={progress.fraction}
              label={
                progress.phase === "hashing" ? `Fingerprinting ${progress.name} on this device` : `Uploading ${progress.name} securely`
              }
            />
          </div>
        )}
        <ErrorNote error={error} />
      </section>

      <DocumentList documents={verification.documents} />

      <section class="panel" aria-labelledby="next-title">
        <h2 id="next-title">Next: a short video call</h2>
        <p class="muted">
          {count
            ? "When your documents are in, submit them. An agent will then see you on a short video call to confirm it is really you."
            : "Add at least one document to continue."}
        </p>
        <div class="actions">
          <button class="primary big" disabled={count === 0 || busy !== null || progress !== null} onClick={() => void act("submit")}>
            {busy === "submit" ? "Submitting…" : "Submit for review"}
          </button>
          <button class="secondary big" disabled={busy !== null || progress !== null} onClick={() => void act("call")}>
            {busy === "call" ? "Requesting…" : "Talk to an agent now"}
          </button>
        </div>
      </section>
    </div>
  );
}
