// The customer's documents, decrypted by the API and shown from blob URLs (never cached on
// disk under a guessable URL); images can be zoomed and rotated to compare with the video.
import { useEffect, useState } from "preact/hooks";
import { api, describeError } from "../../lib/api.ts";
import { docTypeLabel, fileSize } from "../../lib/format.ts";
import type { DocumentSummary } from "../../lib/verifications.ts";
import { useStaffText } from "../../lib/staff-i18n.ts";

function useBlobUrl(documentId: string | null) {
  const [state, setState] = useState<{ url: string | null; error: string | null }>({ url: null, error: null });
  useEffect(() => {
    if (!documentId) return;
    let url: string | null = null;
    let live = true;
    setState({ url: null, error: null });
    api<Blob>(`/documents/${documentId}/content`).then(
      (blob) => {
        url = URL.createObjectURL(blob);
        if (live) setState({ url, error: null });
        else URL.revokeObjectURL(url);
      },
      (err: unknown) => live && setState({ url: null, error: describeError(err) }),
    );
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [documentId]);
  return state;
}

export function DocumentViewer({ documents }: { documents: DocumentSummary[] }) {
  const [selectedId, setSelectedId] = useState<string | null>(documents[0]?.id ?? null);
  const [zoom, setZoom] = useState(false);
  const [rotation, setRotation] = useState(0);
  const s = useStaffText();
  const selected = documents.find((d) => d.id === selectedId) ?? null;
  const { url, error } = useBlobUrl(selected?.id ?? null);

  useEffect(() => {
    setZoom(false);
    setRotation(0);
  }, [selectedId]);

  if (documents.length === 0) return <p class="empty">{s.noDocumentsUploaded}</p>;
  return (
    <div class="viewer">
      <div class="viewer-tabs" role="tablist" aria-label={s.documents}>
        {documents.map((doc) => (
          <button
            key={doc.id}
            role="tab"
            aria-selected={doc.id === selectedId}
            class={doc.id === selectedId ? "tab active" : "tab"}
            onClick={() => setSelectedId(doc.id)}
          >
            {docTypeLabel(doc.doc_type)}
          </button>
        ))}
      </div>
      {selected && (
        <div class="viewer-body" role="tabpanel" aria-label={docTypeLabel(selected.doc_type)}>
          <div class="viewer-tools">
            <span class="muted">
              {selected.content_type} · {fileSize(selected.size)}
            </span>
            {selected.content_type.startsWith("image/") && (
              <>
                <button class="secondary small" aria-pressed={zoom} onClick={() => setZoom(!zoom)}>
                  {zoom ? s.fit : s.actualSize}
                </button>
                <button class="secondary small" onClick={() => setRotation((r) => (r + 90) % 360)}>
                  {s.rotate}
                </button>
              </>
            )}
            {url && (
              <a class="small" href={url} target="_blank" rel="noopener">
                {s.openInNewTab}
              </a>
            )}
          </div>
          <div class={`viewer-canvas ${zoom ? "zoomed" : ""}`}>
            {error && <p class="error">{error}</p>}
            {!url && !error && <p class="muted">{s.decrypting}</p>}
            {url &&
              (selected.content_type === "application/pdf" ? (
                <iframe src={url} title={s.pdfTitle(docTypeLabel(selected.doc_type))} />
              ) : (
                <img
                  src={url}
                  alt={s.uploadedByCustomer(docTypeLabel(selected.doc_type))}
                  style={{ transform: `rotate(${rotation}deg)` }}
                />
              ))}
          </div>
          <p class="hash-line">
            SHA-256 <code>{selected.document_hash}</code>
          </p>
        </div>
      )}
    </div>
  );
}
