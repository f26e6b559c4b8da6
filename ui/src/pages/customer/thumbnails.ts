// Thumbnails of the customer's own documents: a file uploaded from this page is shown from the
// device (no download); after a reload, or on another device, the document's content is fetched
// from the API (the owner may read it, API.md) once per page load. PDFs get no image.
import { api } from "../../lib/api.ts";

const urls = new Map<string, Promise<string | null>>();

/** Keeps the just-uploaded `file` as the thumbnail of `documentId` for this page load. */
export function rememberLocalFile(documentId: string, file: Blob) {
  if (file.type.startsWith("image/")) urls.set(documentId, Promise.resolve(URL.createObjectURL(file)));
}

/** An object URL for the image of `documentId`, or null for a PDF or when it cannot be read. */
export function thumbnailUrl(documentId: string, contentType: string): Promise<string | null> {
  if (!contentType.startsWith("image/")) return Promise.resolve(null);
  let url = urls.get(documentId);
  if (!url) {
    url = api<Blob>(`/documents/${documentId}/content`).then(
      (blob) => URL.createObjectURL(blob),
      () => null,
    );
    urls.set(documentId, url);
  }
  return url;
}
