// The Hono application: every route group under /api/v1, one error renderer, and the
// OpenAPI document generated from the same zod schemas that validate requests.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import pkg from "../package.json" with { type: "json" };
import type { AppEnv } from "./http/app-env.ts";
import { ApiError, errorBody, renderError } from "./http/errors.ts";
import { router } from "./http/openapi.ts";
import { refuseDevSecrets } from "./http/refuse-dev-secrets.ts";
import { agentRoutes } from "./routes/agents.ts";
import { auditRoutes } from "./routes/audit.ts";
import { authRoutes } from "./routes/auth.ts";
import { blockchainRoutes } from "./routes/blockchain.ts";
import { callOutcomeRoutes } from "./routes/call-outcomes.ts";
import { dashboardRoutes } from "./routes/dashboard.ts";
import { directCallRoutes } from "./routes/direct-calls.ts";
import { documentRoutes } from "./routes/documents.ts";
import { healthRoutes } from "./routes/health.ts";
import { socketRoutes } from "./routes/sockets.ts";
import { verificationRoutes } from "./routes/verifications.ts";
import { videoCallRoutes } from "./routes/video-calls.ts";

// JSON bodies are small; uploads (multipart) have their own limit in documents/upload.ts.
const jsonBodyLimit = bodyLimit({
  maxSize: 256 * 1024,
  onError: () => {
    throw new ApiError(413, "payload_too_large", "The request body exceeds 256 KiB.");
  },
});

export const api = router();
api.use("*", async (c, next) => {
  const type = c.req.header("Content-Type") ?? "";
  return type.startsWith("multipart/form-data") ? next() : jsonBodyLimit(c, next);
});
// Sockets and agent routes first: their static paths must win over /video-calls/{id}.
for (const group of [
  healthRoutes,
  authRoutes,
  verificationRoutes,
  documentRoutes,
  blockchainRoutes,
  auditRoutes,
  socketRoutes,
  agentRoutes,
  callOutcomeRoutes,
  videoCallRoutes,
  directCallRoutes,
  dashboardRoutes,
]) {
  api.route("/", group);
}

api.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
  type: "http",
  scheme: "bearer",
  bearerFormat: "JWT",
});
api.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: {
    title: "VerifyID Edge API",
    version: pkg.version,
    description: "Identity verification back office: intake, video-call queue, calls, audit log.",
  },
  servers: [{ url: "/api/v1" }],
});

export const app = new Hono<AppEnv>();
app.use("*", refuseDevSecrets);
app.use("/api/*", secureHeaders({ crossOriginResourcePolicy: "same-origin" }));
app.route("/api/v1", api);
app.notFound((c) => c.json(errorBody("not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`), 404));
app.onError(renderError);
