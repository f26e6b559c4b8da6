// Each role against each protected route: allowed roles get past the permission check
// (anything but 403), every other role gets 403. Expected roles are written out from
// API.md rather than derived from the code under test.
import { describe, expect, it } from "vitest";
import { call, login } from "./support/api.ts";

const ROLE_ACCOUNTS = {
  kyc_agent: "agent3@demo.test",
  manager: "manager@demo.test",
  it_staff: "it@demo.test",
  customer: "customer3@demo.test",
} as const;
type Role = keyof typeof ROLE_ACCOUNTS;

const ROUTES: Array<{ route: string; path: string; method?: string; json?: unknown; allowed: Role[] }> = [
  { route: "POST /users", path: "/users", method: "POST", json: {}, allowed: ["manager"] },
  { route: "GET /users", path: "/users", allowed: ["manager"] },
  { route: "GET /verifications", path: "/verifications", allowed: ["kyc_agent", "manager", "it_staff", "customer"] },
  { route: "POST /verifications", path: "/verifications", method: "POST", json: {}, allowed: ["customer"] },
];

describe.each(ROUTES)("$route", ({ path, method, json, allowed }) => {
  it.each(Object.keys(ROLE_ACCOUNTS) as Role[])("as %s", async (role) => {
    const token = await login(ROLE_ACCOUNTS[role]);
    const res = await call(path, { method: method ?? "GET", token, json });
    if (allowed.includes(role)) {
      expect(res.status).not.toBe(403);
      expect(res.status).toBeLessThan(500);
    } else {
      expect(res.status).toBe(403);
      expect((await res.json<any>()).error.code).toBe("forbidden");
    }
  });
});
