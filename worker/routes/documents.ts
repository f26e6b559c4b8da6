// Document bytes, decrypted for the verification's customer or the tenant's staff.
import { createRoute, z } from "@hono/zod-openapi";
import { principalOf } from "../auth/middleware.ts";
import { documentContent, documentResponse } from "../documents/content.ts";
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
    const doc = await documentContent(c.env, principalOf(c), c.req.valid("param").id);
    return documentResponse(doc);
  },
);
