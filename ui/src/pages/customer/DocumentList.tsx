// Uploaded documents with both fingerprints (this device's and the server's) and each one's
// place in the audit log.
import { ReceiptStatus } from "../../components/ReceiptStatus.tsx";
import { docTypeLabel, fileSize } from "../../lib/format.ts";
import type { DocumentSummary } from "../../lib/verifications.ts";
import { localHashOf } from "./local-hashes.ts";

function DocumentItem({ doc }: { doc: DocumentSummary }) {
  const local = localHashOf(doc.id);
  return (
    <li class="document" data-document-id={doc.id}>
      <div class="document-head">
        <strong>{docTypeLabel(doc.doc_type)}</strong>
        <span class="muted">
          {doc.content_type.replace("image/", "").replace("application/", "").toUpperCase()} · {fileSize(doc.size)}
        </span>
      </div>
      <dl class="hashes">
        <dt>Fingerprint (SHA-256) on this device</dt>
        <dd>{local ? <code data-testid="local-hash">{local}</code> : <span class="muted">Not computed in this browser session</span>}</dd>
        <dt>Fingerprint stored by VerifyID</dt>
        <dd>
          <code data-testid="document-hash">{doc.document_hash}</code>
        </dd>
      </dl>
      {local && (
        <p class={local === doc.document_hash ? "ok" : "error"} data-testid="hash-match">
          {local === doc.document_hash
            ? "✓ The fingerprints match: we received exactly your file."
            : "✗ The fingerprints differ: the file changed on the way. Please upload it again."}
        </p>
      )}
      <ReceiptStatus documentHash={doc.document_hash} />
    </li>
  );
}

export function DocumentList({ documents }: { documents: DocumentSummary[] }) {
  if (documents.length === 0) return null;
  return (
    <ul class="documents" aria-label="Uploaded documents">
      {documents.map((doc) => (
        <DocumentItem key={doc.id} doc={doc} />
      ))}
    </ul>
  );
}
