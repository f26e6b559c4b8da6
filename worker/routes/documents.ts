// Document bytes, decrypted for the verification's customer or the tenant's staff.
import { createRoute, z } from "@hono/zod-openapi";
import { principalOf } from "../auth/middleware.ts";
import { database } from "../db/client.ts";
import { documentFor } from "../db/verifications.ts";
import { masterKey, open } from "../documents/envelope.ts";
import { ApiError, notFound } from "../http/errors.ts";
import { router } from "../http/openapi.ts";
import { errors, IdParam } from "../schemas/common.ts";

export const documentRoutes = router();

documentRoutes.openapi(
  createRoute({
    method: "get",
    path: "/{id}/content",
    tags: ["verifications"],
    summary: "The decrypted bytes of a document",
    security: [{ bearer: [] }],
    request: { params: IdParam },
    responses: {
      200: { description: "The exact uploaded bytes", content: { "application/octet-stream": { schema: z.any() } } },
      ...errors(401, 404, 503),
    },
  }),
  async (c) => {
    const doc = await documentFor(database(c.env.DB), principalOf(c), c.req.valid("param").id);
    if (!doc) throw notFound("Document");
    const object = await c.env.DOCUMENTS.get(doc.objectKey);
    if (!object) throw new ApiError(503, "document_unavailable", "The document's stored bytes are not available.");
    const plaintext = await open(new Uint8Array(await object.arrayBuffer()), doc.id, await masterKey(c.env.DOCUMENT_MASTER_KEY));
    return new Response(plaintext, {
      headers: {
        "Content-Type": doc.contentType,
        "Content-Length": String(plaintext.length),
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
        "X-Document-Hash": doc.documentHash,
      },
    });
  },
);
