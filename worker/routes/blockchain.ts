// Blockchain routes kept from seed 000. Hashing a document stores nothing.
import { createRoute, z } from "@hono/zod-openapi";
import { authenticate } from "../auth/middleware.ts";
import { configFrom } from "../config.ts";
import { readUploadedFile } from "../documents/upload.ts";
import { router } from "../http/openapi.ts";
import { errors, json } from "../schemas/common.ts";

export const blockchainRoutes = router();
blockchainRoutes.use("/blockchain/*", authenticate);

const HashedDocument = z
  .object({ document_hash: z.string(), algorithm: z.literal("sha256"), size: z.number().int() })
  .openapi("HashedDocument");

const hashRoute = createRoute({
  method: "post",
  path: "/blockchain/hash-document",
  tags: ["blockchain"],
  summary: "SHA-256 of an uploaded file; nothing is stored",
  security: [{ bearer: [] }],
  request: {
    body: {
      required: true,
      content: { "multipart/form-data": { schema: z.object({ file: z.any().openapi({ type: "string", format: "binary" }) }) } },
    },
  },
  responses: { 200: json(HashedDocument, "The hash"), ...errors(400, 401, 413, 415) },
});
blockchainRoutes.openAPIRegistry.registerPath(hashRoute);
blockchainRoutes.post("/blockchain/hash-document", async (c) => {
  const upload = await readUploadedFile(c.req.raw, configFrom(c.env).maxUploadBytes);
  return c.json({ document_hash: upload.sha256, algorithm: "sha256" as const, size: upload.size }, 200);
});
