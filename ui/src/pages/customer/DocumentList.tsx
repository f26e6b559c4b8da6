// Uploaded documents: a thumbnail, the type and size, whether the file arrived intact, and
// behind "details" both fingerprints (this device's and the server's) and the document's place
// in the audit log: phone users see a plain sentence first, the hashes only if they ask. Until
// submit each one can be removed, or replaced (a new file chosen, then the old one removed).
import { useEffect, useState } from "preact/hooks";
import { ReceiptStatus } from "../../components/ReceiptStatus.tsx";
import { useI18n } from "../../lib/i18n.ts";
import type { DocumentSummary } from "../../lib/verifications.ts";
import { localHashOf } from "./local-hashes.ts";
import { thumbnailUrl } from "./thumbnails.ts";

function Thumbnail({ doc, label }: { doc: DocumentSummary; label: string }) {
  const { t } = useI18n();
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void thumbnailUrl(doc.id, doc.content_type).then((url) => live && setSrc(url));
    return () => void (live = false);
  }, [doc.id, doc.content_type]);
  return (
    <div class="thumb" aria-hidden={src ? undefined : "true"}>
      {src ? <img src={src} alt={t.documentPreview(label)} /> : <span>{doc.content_type === "application/pdf" ? t.pdfDocument : ""}</span>}
    </div>
  );
}

/** What the customer can still do with the documents before submit. */
export type DocumentEditing = {
  remove: (doc: DocumentSummary) => void;
  replace: (doc: DocumentSummary, file: File) => void;
  /** The document being removed or replaced now, if any; while one is, the others wait. */
  busyId: string | null;
  disabled: boolean;
  accept: string;
};

function DocumentActions({ doc, label, editing }: { doc: DocumentSummary; label: string; editing: DocumentEditing }) {
  const { t } = useI18n();
  const disabled = editing.disabled || editing.busyId !== null;
  return (
    <div class="document-actions">
      <label class={`button secondary ${disabled ? "disabled" : ""}`}>
        <input
          type="file"
          aria-label={t.replaceDocumentLabel(label)}
          accept={editing.accept}
          disabled={disabled}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = "";
            if (file) editing.replace(doc, file);
          }}
        />
        {t.replaceDocument}
      </label>
      <button
        type="button"
        class="secondary"
        aria-label={t.removeDocumentLabel(label)}
        disabled={disabled}
        onClick={() => editing.remove(doc)}
      >
        {editing.busyId === doc.id ? t.removingDocument : t.removeDocument}
      </button>
    </div>
  );
}

function DocumentItem({ doc, editing }: { doc: DocumentSummary; editing?: DocumentEditing }) {
  const { t, fileSize, docType } = useI18n();
  const local = localHashOf(doc.id);
  const label = docType(doc.doc_type);
  return (
    <li class="document" data-document-id={doc.id}>
      <div class="document-row">
        <Thumbnail doc={doc} label={label} />
        <div class="document-head">
          <strong>{label}</strong>
          <span class="muted">
            {doc.content_type.replace("image/", "").replace("application/", "").toUpperCase()} · {fileSize(doc.size)}
          </span>
          {local && (
            <span class={local === doc.document_hash ? "ok" : "error"} data-testid="hash-match">
              {local === doc.document_hash ? t.fingerprintsMatch : t.fingerprintsDiffer}
            </span>
          )}
        </div>
      </div>
      {editing && <DocumentActions doc={doc} label={label} editing={editing} />}
      <details class="document-details">
        <summary>{t.fingerprintDetails}</summary>
        <dl class="hashes">
          <dt>{t.fingerprintLocal}</dt>
          <dd>{local ? <code data-testid="local-hash">{local}</code> : <span class="muted">{t.fingerprintNotHere}</span>}</dd>
          <dt>{t.fingerprintStored}</dt>
          <dd>
            <code data-testid="document-hash">{doc.document_hash}</code>
          </dd>
        </dl>
        <ReceiptStatus documentHash={doc.document_hash} />
      </details>
    </li>
  );
}

/** The documents; with `editing` (before submit) each can be removed or replaced. */
export function DocumentList({ documents, editing }: { documents: DocumentSummary[]; editing?: DocumentEditing }) {
  const { t } = useI18n();
  if (documents.length === 0) return null;
  return (
    <section class="panel documents-panel" aria-labelledby="documents-title">
      <h2 id="documents-title">{t.uploadedDocuments}</h2>
      <ul class="documents">
        {documents.map((doc) => (
          <DocumentItem key={doc.id} doc={doc} editing={editing} />
        ))}
      </ul>
      {editing && <p class="hint">{t.replaceHint}</p>}
    </section>
  );
}
