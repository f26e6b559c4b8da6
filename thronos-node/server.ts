// A local Thronos-compatible node set for development and tests (THRONOS.md): a master, a
// read-only replica sharing the master's chain, an ai_core node, and a control server that
// injects faults and exposes the chain and a request log. Node 22, node:http, no dependencies.
import { once } from "node:events";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { createChain } from "./chain.ts";
import type { ChainOptions, ChainRecord } from "./chain.ts";
import { createFaultBoard, HEALTHY, NODE_ROLES, parseFaultRequest } from "./faults.ts";
import type { Fault, NodeRole } from "./faults.ts";
import { routeRequest } from "./routes.ts";

export type { NodeRole } from "./faults.ts";

export type LocalThronosOptions = {
  host?: string;
  /** Consecutive ports for master, replica, ai_core and control; ephemeral ports when absent. */
  portBase?: number;
  /** The key the ai_core node accepts (`X-API-Key` or bearer). */
  aiKey?: string;
  chain?: ChainOptions;
};

export type LocalThronosUrls = { masterUrl: string; replicaUrl: string; aiUrl: string; controlUrl: string };

export type LocalThronos = LocalThronosUrls & { aiKey: string; close(): Promise<void> };

export type RequestLogEntry = {
  seq: number;
  at: number;
  node: NodeRole;
  method: string;
  path: string;
  /** Null while the request is still being answered (e.g. a slow fault). */
  status: number | null;
};

export type ControlState = { chain: ChainRecord[]; log: RequestLogEntry[]; faults: Record<NodeRole, Fault> };

/** The key `.dev.vars.example` gives the Worker, so `npm start` works without configuration. */
export const DEFAULT_AI_KEY = "dev-only-ai-key";
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_LOG_ENTRIES = 10_000;

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error("body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.destroyed) return;
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  server.listen(port, host);
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

async function stopListening(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = once(server, "close");
  server.close();
  // Idle keep-alive sockets would otherwise still reach a "refusing" node.
  server.closeAllConnections();
  await closed;
}

/** Starts the node set on `host` (127.0.0.1); `close()` stops every listener. */
export async function startLocalThronos(options: LocalThronosOptions = {}): Promise<LocalThronos> {
  const host = options.host ?? "127.0.0.1";
  const aiKey = options.aiKey ?? DEFAULT_AI_KEY;
  const chain = createChain(options.chain);
  const faults = createFaultBoard();
  const log: RequestLogEntry[] = [];
  // Aborted by reset and close: a delayed ("slow") request never lands in the state that follows.
  let pending = new AbortController();
  let seq = 0;
  const ports = {} as Record<NodeRole | "control", number>;
  const urlOf = (role: NodeRole | "control") => `http://${host}:${ports[role]}`;

  async function answerNode(role: NodeRole, req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://node.invalid");
    const entry: RequestLogEntry = {
      seq: ++seq,
      at: Date.now(),
      node: role,
      method: req.method ?? "GET",
      path: url.pathname,
      status: null,
    };
    log.push(entry);
    if (log.length > MAX_LOG_ENTRIES) log.splice(0, log.length - MAX_LOG_ENTRIES);
    const respond = (status: number, body: unknown, cors = false) => {
      entry.status = status;
      sendJson(res, status, body, { "X-Thronos-Node": role, ...(cors ? { "Access-Control-Allow-Origin": "*" } : {}) });
    };
    let text: string;
    try {
      text = await readBody(req);
    } catch {
      return respond(413, { ok: false, error: "payload_too_large" });
    }
    const fault = faults.take(role);
    if (fault.mode === "slow") {
      try {
        await sleep(fault.delay_ms, undefined, { signal: pending.signal });
      } catch {
        return void res.destroy();
      }
    }
    if (fault.mode === "error") return respond(fault.status, { ok: false, error: "injected_fault", status: fault.status });
    const header = (name: string) => [req.headers[name]].flat()[0];
    const answer = routeRequest(
      {
        method: entry.method,
        path: url.pathname,
        query: url.searchParams,
        body: parseJson(text),
        apiKey: header("x-api-key"),
        authorization: header("authorization"),
      },
      { role, chain, fault, masterUrl: urlOf("master"), aiKey },
    );
    respond(answer.status, answer.body, answer.cors);
  }

  const nodes = Object.fromEntries(
    NODE_ROLES.map((role) => [
      role,
      createServer((req, res) => {
        answerNode(role, req, res).catch((err: unknown) =>
          sendJson(res, 500, { ok: false, error: "server_error", detail: String(err) }, { "X-Thronos-Node": role }),
        );
      }),
    ]),
  ) as Record<NodeRole, Server>;

  /** Applies a fault; `refuse` closes the node's listener, anything else re-opens it on the same port. */
  async function applyFault(role: NodeRole, fault: Fault) {
    faults.set(role, fault);
    if (fault.mode === "refuse") await stopListening(nodes[role]);
    else if (!nodes[role].listening) await listen(nodes[role], ports[role], host);
  }

  async function answerControl(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? "/", "http://control.invalid").pathname;
    if (req.method === "GET" && path === "/state") {
      const state: ControlState = { chain: [...chain.records], log: [...log], faults: faults.snapshot() };
      return sendJson(res, 200, state);
    }
    if (req.method === "POST" && path === "/faults") {
      const parsed = parseFaultRequest(parseJson(await readBody(req)));
      if ("error" in parsed) return sendJson(res, 400, { ok: false, error: parsed.error });
      await applyFault(parsed.node, parsed.fault);
      return sendJson(res, 200, { ok: true, faults: faults.snapshot() });
    }
    if (req.method === "POST" && path === "/reset") {
      pending.abort();
      pending = new AbortController();
      chain.clear();
      log.length = 0;
      for (const role of NODE_ROLES) await applyFault(role, HEALTHY);
      return sendJson(res, 200, { ok: true });
    }
    sendJson(res, 404, { ok: false, error: "not_found", routes: ["GET /state", "POST /faults", "POST /reset"] });
  }

  const control = createServer((req, res) => {
    answerControl(req, res).catch((err: unknown) => sendJson(res, 500, { ok: false, error: String(err) }));
  });

  const roles = [...NODE_ROLES, "control"] as const;
  const servers = { ...nodes, control };
  const closeAll = () => Promise.all(roles.map((role) => stopListening(servers[role])));
  try {
    for (const [i, role] of roles.entries()) {
      ports[role] = await listen(servers[role], options.portBase === undefined ? 0 : options.portBase + i, host);
    }
  } catch (err) {
    await closeAll();
    throw err;
  }

  return {
    masterUrl: urlOf("master"),
    replicaUrl: urlOf("replica"),
    aiUrl: urlOf("ai_core"),
    controlUrl: urlOf("control"),
    aiKey,
    async close() {
      pending.abort();
      await closeAll();
    },
  };
}

const URL_VARS = [
  ["THRONOS_MASTER_URL", "masterUrl"],
  ["THRONOS_REPLICA_URL", "replicaUrl"],
  ["THRONOS_AI_URL", "aiUrl"],
] as const;

/** True when `wrangler dev` arguments already set `name` (`--var NAME:value` or `--var=NAME:value`). */
function givenAsVar(devArgs: readonly string[], name: string): boolean {
  return devArgs.some((arg, i) => arg.startsWith(`--var=${name}:`) || (arg === "--var" && devArgs[i + 1]?.startsWith(`${name}:`)));
}

export type DevThronos = { varArgs: string[]; node: LocalThronos | null; summary: string };

/**
 * For `npm start`: the `--var` flags that point `wrangler dev` at a Thronos node for each
 * THRONOS_*_URL; one the developer gave with `--var` is kept, one set in the environment is
 * passed on, and the local node set is started only if some URL is still missing. The local
 * AI node accepts the THRONOS_AI_KEY of `.dev.vars` (its text is `devVars`); `portBase` picks
 * its four consecutive ports (ephemeral ones when absent).
 */
export async function startForWranglerDev(
  devArgs: readonly string[],
  env: Record<string, string | undefined>,
  devVars = "",
  portBase?: number,
): Promise<DevThronos> {
  const missing = URL_VARS.filter(([name]) => !givenAsVar(devArgs, name) && !env[name]);
  const fromEnv = URL_VARS.filter(([name]) => !givenAsVar(devArgs, name) && env[name]).map(([name]) => `${name}:${env[name]}`);
  // wrangler dev gives the Worker the key from .dev.vars, so that is the one the node must accept.
  const aiKey = devVars.match(/^THRONOS_AI_KEY=(.*)$/m)?.[1]?.trim() || env.THRONOS_AI_KEY || DEFAULT_AI_KEY;
  const node = missing.length ? await startLocalThronos({ aiKey, ...(portBase ? { portBase } : {}) }) : null;
  const local = node ? missing.map(([name, key]) => `${name}:${node[key]}`) : [];
  const varArgs = [...fromEnv, ...local].flatMap((value) => ["--var", value]);
  const summary = node
    ? `  local Thronos node: master ${node.masterUrl}, replica ${node.replicaUrl}, ai_core ${node.aiUrl}, control ${node.controlUrl}`
    : "  using the THRONOS_*_URL values given";
  return { varArgs, node, summary };
}
