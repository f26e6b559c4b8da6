// Authentication is one middleware in front of every route (worker/app.ts): each request to a
// route that is not public verifies its token exactly once, whichever groups serve its path,
// and the public routes are exactly the ones the OpenAPI document marks without security.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app, PUBLIC_ROUTES } from "../../../worker/app.ts";
import { callJson, ORIGIN } from "../support/api.ts";
import { newTenant } from "../support/tenant.ts";

/** The app with a D1 that counts session checks: db/sessions.ts reads revoked_tokens by jti (in one select with the user) once per authentication. */
function appCountingSessionChecks() {
  let checks = 0;
  const DB = new Proxy(env.DB, {
    get(target, key) {
      if (key === "prepare") {
        return (sql: string) => {
          const statement = target.prepare(sql);
          if (!(/^select/i.test(sql) && /from\s+"?revoked_tokens"?\s+where\s+("?revoked_tokens"?\.)?"?jti/i.test(sql))) return statement;
          // The session read is prepared once per D1 handle and bound for each request: count the bindings.
          return new Proxy(statement, {
            get(stmt, name) {
              const value = Reflect.get(stmt, name);
              if (name === "bind") return (...params: unknown[]) => (checks++, stmt.bind(...params));
              return typeof value === "function" ? value.bind(stmt) : value;
            },
          });
        };
      }
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return {
    /** The status of `method path` and how many session checks it made. */
    async send(method: string, path: string, token?: string) {
      const before = checks;
      const headers = token ? { Authorization: `Bearer ${token}` } : undefined;
      const res = await app.request(`${ORIGIN}/api/v1${path}`, { method, headers }, { ...env, DB });
      await res.body?.cancel();
      return { status: res.status, checks: checks - before };
    },
  };
}

/** Every operation of the OpenAPI document as `METHOD /path`, with `security` or not. */
async function documentedOperations() {
  const { body } = await callJson("/openapi.json");
  return Object.entries(body.paths as Record<string, Record<string, { security?: unknown[] }>>).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      route: `${method.toUpperCase()} ${path}`,
      secured: (operation.security ?? []).length > 0,
    })),
  );
}

/** A concrete path for a documented one: each `{param}` becomes an id that exists nowhere. */
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, "no-such-id");

// Upgrade routes are not in the OpenAPI document.
const SOCKETS = ["GET /video-calls/ws", "GET /video-calls/{id}/ws", "GET /rooms/{session_id}/ws", "GET /call/ws", "GET /dashboard/ws"];

describe("authentication", () => {
  it("treats as public exactly the documented operations without security, and the document itself", async () => {
    const open = (await documentedOperations()).filter((o) => !o.secured).map((o) => o.route);
    expect([...open, "GET /openapi.json"].sort()).toEqual([...PUBLIC_ROUTES].sort());
  });

  it("checks the session exactly once for every other route, and never for a public one", async () => {
    const { manager } = await newTenant({ agents: 1, customers: 1 });
    const server = appCountingSessionChecks();
    const routes = [...(await documentedOperations()).map((o) => o.route), ...SOCKETS];
    // Signing out revokes the token the other requests use: last.
    const ordered = [...routes.filter((r) => r !== "POST /auth/logout"), "POST /auth/logout"];
    const seen: Record<string, { status: number; checks: number }> = {};
    const expected: Record<string, { status: number; checks: number }> = {};
    for (const route of ordered) {
      const [method, path] = route.split(" ") as [string, string];
      const { status, checks } = await server.send(method, concrete(path), manager.token);
      seen[route] = { status: status === 401 ? 401 : 0, checks };
      expected[route] = { status: 0, checks: (PUBLIC_ROUTES as readonly string[]).includes(route) ? 0 : 1 };
    }
    expect(seen).toEqual(expected);
  });

  it("answers a protected route without a token with 401, before checking any session", async () => {
    const server = appCountingSessionChecks();
    for (const route of [
      "GET /video-calls/pending",
      "GET /video-calls/{id}",
      "GET /users",
      "GET /audit/receipts/{id}",
      "GET /video-calls/ws",
    ]) {
      const [method, path] = route.split(" ") as [string, string];
      expect(await server.send(method, concrete(path)), route).toEqual({ status: 401, checks: 0 });
    }
  });

  it("leaves a path no route answers to the 404, even under a protected resource", async () => {
    const server = appCountingSessionChecks();
    expect(await server.send("GET", "/video-calls/no-such-id/no/such/thing")).toEqual({ status: 404, checks: 0 });
    expect(await server.send("DELETE", "/verifications")).toEqual({ status: 404, checks: 0 });
  });
});
