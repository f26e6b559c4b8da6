// Step 2: documents. Each file is fingerprinted here first (SHA-256, on the device), then
// uploaded with progress; each shows as a thumbnail, its fingerprints behind "details", and can
// be removed or replaced until submit (a replacement is uploaded before the old one goes, so a
// failed upload loses nothing; only a full verification removes first). Then
// the customer picks one of two explained ways into the call queue: "Submit for review"
// (normal priority) or "Talk to an agent now" (queued as urgent; API.md).
import { useState } from "preact/hooks";
import type { z } from "zod";
import type { UploadedDocument } from "../../../../worker/schemas/verifications.ts";
import { ErrorNote } from "../../components/ErrorNote.tsx";
import { ProgressBar } from "../../components/ProgressBar.tsx";
import { api, ApiFailure, uploadWithProgress } from "../../lib/api.ts";
import { DOC_TYPES, useI18n } from "../../lib/i18n.ts";
import type { DocumentSummary, Verification } from "../../lib/verifications.ts";
import { DocumentList } from "./DocumentList.tsx";
import { rememberLocalFile } from "./thumbnails.ts";
import { rememberLocalHash } from "./local-hashes.ts";

const MAX_BYTES = 10 * 1024 * 1024;
const ACCEPTED = ["image/jpeg", "image/png", "image/webp", "application/pdf"];

/** The issuing countries the form offers (ISO 3166-1 alpha-2); the rest choose "Other/none". */
const COMMON_COUNTRIES = ["DE", "AT", "CH", "FR", "IT", "ES", "NL", "PL", "GB", "US", "TR", "UA"];

type Progress = { phase: "hashing" | "uploading"; fraction: number; name: string };

/** The next document most people add after the ones they have. */
function suggestedType(have: Set<string>): string {
  if (!have.has("passport") && !have.has("id_card") && !have.has("driver_license")) return "passport";
  return have.has("selfie") ? "proof_of_address" : "selfie";
}

export function DocumentsStep({ verification, onChanged }: { verification: Verification; onChanged: () => Promise<void> }) {
  const [docType, setDocType] = useState(() => suggestedType(new Set(verification.documents.map((d) => d.doc_type))));
  const [country, setCountry] = useState("");
  const [progress, setProgress] = useState<Progress | null>(null);
  const [busy, setBusy] = useState<"submit" | "call" | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const count = verification.documents.length;
  const { t, fileSize, docType: docTypeName, locale } = useI18n();
  const countryName = new Intl.DisplayNames([locale], { type: "region" });

  /** Why this file cannot be uploaded, checked here before any byte is sent. */
  function refusal(file: File): Error | null {
    if (file.size > MAX_BYTES) return new Error(t.fileTooBig(file.name, fileSize(file.size)));
    if (file.type && !ACCEPTED.includes(file.type)) return new Error(t.fileWrongType);
    return null;
  }

  /** Uploads `file` as a `type` document; answers what went wrong (also shown), null once stored. */
  async function upload(file: File, type = docType): Promise<unknown> {
    setError(null);
    const refused = refusal(file);
    if (refused) {
      setError(refused);
      return refused;
    }
    try {
      setProgress({ phase: "hashing", fraction: 0, name: file.name });
      // Loaded on the first upload: the hashing code is not part of the page's first download.
      const { sha256OfFile } = await import("../../lib/hash.ts");
      const localHash = await sha256OfFile(file, (fraction) => setProgress({ phase: "hashing", fraction, name: file.name }));
      setProgress({ phase: "uploading", fraction: 0, name: file.name });
      const form = new FormData();
      form.set("doc_type", type);
      if (country) form.set("issuing_country", country);
      form.set("file", file);
      const stored = await uploadWithProgress<z.infer<typeof UploadedDocument>>(
        `/verifications/${verification.id}/documents`,
        form,
        (fraction) => setProgress({ phase: "uploading", fraction, name: file.name }),
      );
      rememberLocalHash(stored.document_id, localHash);
      rememberLocalFile(stored.document_id, file);
      await onChanged();
      setDocType(suggestedType(new Set([...verification.documents.map((d) => d.doc_type), type])));
      return null;
    } catch (err) {
      setError(err);
      return err;
    } finally {
      setProgress(null);
    }
  }

  /** Removes `doc`; true once it is gone. */
  async function remove(doc: DocumentSummary): Promise<boolean> {
    setEditingId(doc.id);
    setError(null);
    try {
      await api(`/verifications/${verification.id}/documents/${doc.id}`, { method: "DELETE" });
      await onChanged();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setEditingId(null);
    }
  }

  async function replace(doc: DocumentSummary, file: File) {
    setEditingId(doc.id);
    try {
      const failed = await upload(file, doc.doc_type);
      if (!failed) await remove(doc);
      else if (failed instanceof ApiFailure && failed.code === "too_many_documents" && (await remove(doc)))
        await upload(file, doc.doc_type);
    } finally {
      setEditingId(null);
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
        <h2 id="upload-title">{count ? t.addAnotherDocument : t.addIdDocument}</h2>
        <p class="muted">{t.documentsIntro}</p>
        <label for="doc-type">{t.documentType}</label>
        <select
          id="doc-type"
          name="doc_type"
          value={docType}
          disabled={progress !== null}
          onChange={(e) => setDocType(e.currentTarget.value)}
        >
          {DOC_TYPES.map((value) => (
            <option key={value} value={value}>
              {docTypeName(value)}
            </option>
          ))}
        </select>
        <label for="issuing-country">{t.issuingCountry}</label>
        <select
          id="issuing-country"
          name="issuing_country"
          value={country}
          disabled={progress !== null}
          onChange={(e) => setCountry(e.currentTarget.value)}
        >
          <option value="">{t.issuingCountryNone}</option>
          {COMMON_COUNTRIES.map((code) => (
            <option key={code} value={code}>
              {countryName.of(code)}
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
          {t.chooseFile}
        </label>
        {progress && (
          <div role="status" aria-live="polite">
            <ProgressBar
              value={progress.fraction}
              label={progress.phase === "hashing" ? t.fingerprinting(progress.name) : t.uploading(progress.name)}
            />
          </div>
        )}
        <ErrorNote error={error} />
      </section>

      <DocumentList
        documents={verification.documents}
        editing={{
          remove: (doc) => void remove(doc),
          replace: (doc, file) => void replace(doc, file),
          busyId: editingId,
          disabled: progress !== null || busy !== null,
          accept: ACCEPTED.join(","),
        }}
      />

      <section class="panel" aria-labelledby="next-title">
        <h2 id="next-title">{t.nextTitle}</h2>
        {count ? <p class="muted">{t.nextIntro}</p> : <p class="muted">{t.nextNeedDocument}</p>}
        <div class="choices">
          <div class="choice">
            <button
              class="primary big"
              aria-describedby="submit-explain"
              disabled={count === 0 || busy !== null || progress !== null}
              onClick={() => void act("submit")}
            >
              {busy === "submit" ? t.submitting : t.submitForReview}
            </button>
            <p id="submit-explain" class="hint">
              {t.submitExplain}
            </p>
          </div>
          <div class="choice">
            <button
              class="secondary big"
              aria-describedby="talk-explain"
              disabled={busy !== null || progress !== null}
              onClick={() => void act("call")}
            >
              {busy === "call" ? t.requesting : t.talkNow}
            </button>
            <p id="talk-explain" class="hint">
              {t.talkNowExplain}
            </p>
          </div>
        </div>
      </section>
    </div>
  );
}
