// What each local node answers to one request (THRONOS.md), as a pure function of the request,
// the shared chain and the node's current fault. server.ts does the I/O around it.
import { aiUnavailableAnswer, fraudAnswer, isAuthorized, unauthorizedAnswer } from "./ai.ts";
import { legacyTxStatusAnswer, submitAnswer, txStatusAnswer, verifyAnswer } from "./chain.ts";
import type { Chain, NodeAnswer } from "./chain.ts";
import type { Fault, NodeRole } from "./faults.ts";

export type NodeRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  /** The parsed JSON body; undefined when absent or not JSON (the real node reads it leniently). */
  body: unknown;
  apiKey: string | undefined;
  authorization: string | undefined;
};

export type NodeContext = {
  role: NodeRole;
  chain: Chain;
  fault: Fault;
  masterUrl: string;
  aiKey: string;
};

export type RoutedAnswer = NodeAnswer & { cors?: boolean };

const VERSION = "v3.6";
const BUILD = { build_commit: "f83e6bb", build_source: "verifyid-local-thronos-node" };

const notFound: NodeAnswer = { status: 404, body: { ok: false, error: "not_found" } };
const methodNotAllowed: NodeAnswer = { status: 405, body: { ok: false, error: "method_not_allowed" } };

function health(ctx: NodeContext): Record<string, unknown> {
  const last = ctx.chain.records.at(-1);
  return {
    ok: true,
    role: ctx.role,
    chain_height: ctx.role === "ai_core" ? 0 : ctx.chain.records.length,
    last_hash: ctx.role === "ai_core" ? null : (last?.hash ?? null),
    ts: Math.floor(Date.now() / 1000),
    version: VERSION,
    service: ctx.role === "ai_core" ? "thronos-ai-core" : "thronos-chain",
  };
}

/** A replica with an empty chain (or a node told to sync) answers every /api GET like this. */
function isSyncing(ctx: NodeContext): boolean {
  return ctx.fault.mode === "syncing" || (ctx.role === "replica" && ctx.chain.records.length === 0);
}

function routeChain(req: NodeRequest, ctx: NodeContext): RoutedAnswer {
  const { method, path } = req;
  if (method === "GET" && path.startsWith("/api/") && isSyncing(ctx)) return { status: 200, body: { status: "syncing", progress: 0 } };
  if (path === "/api/chain/hash/submit") {
    if (method !== "POST") return methodNotAllowed;
    if (ctx.role === "replica") {
      return { status: 403, body: { ok: false, error: "read_only_node", primary: ctx.masterUrl, node_role: "replica" } };
    }
    return submitAnswer(ctx.chain, req.body);
  }
  if (path === "/api/chain/hash/verify") {
    if (method === "GET") return verifyAnswer(ctx.chain, req.query.get("hash"));
    if (method === "POST") return verifyAnswer(ctx.chain, (req.body as { hash?: unknown } | undefined)?.hash);
    return methodNotAllowed;
  }
  if (path === "/api/tx/status") return method === "GET" ? txStatusAnswer(ctx.chain, req.query.get("tx_id")) : methodNotAllowed;
  const legacy = path.match(/^\/api\/tx_status\/([^/]+)$/);
  if (legacy) return method === "GET" ? legacyTxStatusAnswer(ctx.chain, decodeURIComponent(legacy[1]!)) : methodNotAllowed;
  return notFound;
}

function routeAi(req: NodeRequest, ctx: NodeContext): RoutedAnswer {
  if (req.path !== "/v1/fraud/document" && req.path !== "/api/v1/fraud/document") return notFound;
  if (req.method !== "POST") return methodNotAllowed;
  if (!isAuthorized(req.apiKey, req.authorization, ctx.aiKey)) return unauthorizedAnswer;
  if (ctx.fault.mode === "ai_unavailable") return aiUnavailableAnswer;
  if (req.body === undefined) return { status: 400, body: { error: "invalid_json" } };
  return fraudAnswer(req.body);
}

/** The answer of node `ctx.role` to `req`, ignoring transport faults (error, slow, refuse). */
export function routeRequest(req: NodeRequest, ctx: NodeContext): RoutedAnswer {
  if (req.path === "/health" || req.path === "/api/health") {
    if (req.method !== "GET") return methodNotAllowed;
    if (req.path === "/api/health" && ctx.role !== "ai_core" && isSyncing(ctx)) {
      return { status: 200, body: { status: "syncing", progress: 0 }, cors: true };
    }
    return { status: 200, body: req.path === "/health" ? health(ctx) : { ...health(ctx), ...BUILD }, cors: true };
  }
  return ctx.role === "ai_core" ? routeAi(req, ctx) : routeChain(req, ctx);
}
