// Reading a document back: its sealed bytes from R2, opened for the verification's customer or
// the tenant's staff, or for the holder of an export's signed link.
import type { Principal } from "../auth/principal.ts";
import { database } from "../db/client.ts";
import { documentById, documentFor, type DocumentRow } from "../db/documents.ts";
import { ApiError, notFound } from "../http/errors.ts";
import { envelopeKeys } from "../lifecycle/keys.ts";
import { open } from "./envelope.ts";

/** The exact uploaded bytes of a document the principal may read; 404 otherwise, 503 when R2
 * has lost them. */
export async function documentContent(env: Env, who: Principal, id: string) {
  const doc = await documentFor(database(env.DB), who, id);
  if (!doc) throw notFound("Document");
  return openStoredDocument(env, doc);
}

/** The bytes of a document found by id alone: only for a caller that proved its right otherwise
 * (a signed link). */
export async function linkedDocumentContent(env: Env, id: string) {
  const doc = await documentById(database(env.DB), id);
  if (!doc) throw notFound("Document");
  return openStoredDocument(env, doc);
}

/** A document opened: its exact bytes, its detected type and its hash. */
export type OpenedDocument = { bytes: Uint8Array; contentType: string; documentHash: string };

async function openStoredDocument(env: Env, doc: DocumentRow): Promise<OpenedDocument> {
  const object = await env.DOCUMENTS.get(doc.objectKey);
  if (!object) throw new ApiError(503, "document_unavailable", "The document's stored bytes are not available.");
  const bytes = await open(new Uint8Array(await object.arrayBuffer()), doc.id, envelopeKeys(env, doc.tenantId));
  return { bytes, contentType: doc.contentType, documentHash: doc.documentHash };
}

/** The HTTP answer with a document's bytes: never cached, never sniffed, its hash beside it. */
export function documentResponse(doc: OpenedDocument): Response {
  return new Response(doc.bytes, {
    headers: {
      "Content-Type": doc.contentType,
      "Content-Length": String(doc.bytes.length),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      "X-Document-Hash": doc.documentHash,
    },
  });
}
