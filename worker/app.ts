// The Hono application: every route group under /api/v1, one error renderer, and the
// OpenAPI document generated from the same zod schemas that validate requests.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import pkg from "../package.json" with { type: "json" };
import { authenticateUnlessPublic } from "./auth/middleware.ts";
import type { AppEnv } from "./http/app-env.ts";
import { ApiError, errorBody, renderError } from "./http/errors.ts";
import { router } from "./http/openapi.ts";
import { refuseDevSecrets } from "./http/refuse-dev-secrets.ts";
import { requestLog } from "./observability/request-log.ts";
import { queueRoutes, skillRoutes } from "./routes/routing.ts";
import { adminRoutes } from "./routes/admin.ts";
import { agentRoutes, queueStaffRoutes } from "./routes/agents.ts";
import { apiKeyRoutes, sessionExchangeRoutes } from "./routes/api-keys.ts";
import { auditRoutes } from "./routes/audit.ts";
import { authRoutes, userRoutes } from "./routes/auth.ts";
import { blockchainRoutes } from "./routes/blockchain.ts";
import { callOutcomeRoutes } from "./routes/call-outcomes.ts";
import { dashboardRoutes } from "./routes/dashboard.ts";
import { directCallRoutes, presenceRoutes } from "./routes/direct-calls.ts";
import { documentRoutes } from "./routes/documents.ts";
import { healthRoutes } from "./routes/health.ts";
import { exportLinkRoutes, keyRoutes, settingsRoutes, verificationLifecycleRoutes } from "./routes/lifecycle.ts";
import { callSocketRoutes, roomRoutes } from "./routes/sockets.ts";
import { verificationRoutes } from "./routes/verifications.ts";
import { videoCallRoutes } from "./routes/video-calls.ts";
import { webhookRoutes } from "./routes/webhooks.ts";

const API_BASE = "/api/v1";

/**
 * The only routes anyone may call without a token (paths under /api/v1); every other route
 * authenticates, once per request. Permissions are each route's own.
 */
export const PUBLIC_ROUTES = [
  "GET /health",
  "POST /auth/login",
  // The hosted session's link token is the credential (routes/api-keys.ts).
  "POST /auth/session",
  // Knowing a document's hash is the credential for its receipt (API.md).
  "GET /audit/receipts",
  "GET /audit/checkpoint",
  "GET /audit/consistency",
  "GET /audit/public-key",
  "GET /dashboard/health",
  "GET /openapi.json",
  // An export's document link is its own credential (signed, expiring).
  "GET /exports/document",
] as const;

// One resource spread over four files: its fixed paths (the staff socket, agents, settings,
// then queue, pending and history inside videoCallRoutes) are routed before /{id}.
const videoCalls = router()
  .route("/", callSocketRoutes)
  .route("/", queueStaffRoutes)
  .route("/", videoCallRoutes)
  .route("/", callOutcomeRoutes);

/** Each resource's routes under its own path: a request reaches one resource, so their order is free. */
const RESOURCES = {
  "/health": healthRoutes,
  "/auth": authRoutes,
  "/users": userRoutes,
  "/verifications": router().route("/", verificationRoutes).route("/", verificationLifecycleRoutes),
  "/documents": documentRoutes,
  "/blockchain": blockchainRoutes,
  "/audit": auditRoutes,
  "/video-calls": videoCalls,
  "/agents": agentRoutes,
  "/rooms": roomRoutes,
  "/status": presenceRoutes,
  "/call": directCallRoutes,
  "/dashboard": dashboardRoutes,
  "/admin": adminRoutes,
  "/queues": queueRoutes,
  "/admin/keys": keyRoutes,
  "/settings": settingsRoutes,
  "/exports": exportLinkRoutes,
  "/auth/session": sessionExchangeRoutes,
  "/api-keys": apiKeyRoutes,
  "/webhooks": webhookRoutes,
};

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
api.use("*", authenticateUnlessPublic(API_BASE, PUBLIC_ROUTES));
for (const [path, routes] of Object.entries(RESOURCES)) api.route(path, routes);
api.route("/agents", skillRoutes);

api.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
  type: "http",
  scheme: "bearer",
  bearerFormat: "JWT",
});
// Client apps: `X-API-Key: vid_…` (or the same key as a bearer token).
api.openAPIRegistry.registerComponent("securitySchemes", "apiKey", { type: "apiKey", in: "header", name: "X-API-Key" });
api.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: {
    title: "VerifyID Edge API",
    version: pkg.version,
    description: "Identity verification back office: intake, video-call queue, calls, audit log.",
  },
  servers: [{ url: API_BASE }],
});

export const app = new Hono<AppEnv>();
// First: every request gets its id and its one log line, whatever happens after.
app.use("*", requestLog);
app.use("*", refuseDevSecrets);
app.use("/api/*", secureHeaders({ crossOriginResourcePolicy: "same-origin" }));
app.route(API_BASE, api);
app.notFound((c) => {
  c.set("outcome", "not_found");
  return c.json(errorBody("not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`, undefined, c.get("requestId")), 404);
});
app.onError(renderError);
