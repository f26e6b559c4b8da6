// Bad input never yields a 500: every route of the OpenAPI document, called by each kind of
// caller with malformed parameters and bodies, answers below 500 and, for errors, in the
// contract's error shape.
import { describe, expect, it } from "vitest";
import { call, callJson, login } from "./support/api.ts";

const JUNK_BODIES: Array<[string, string | undefined]> = [
  ["no body", undefined],
  ["empty object", "{}"],
  ["wrong types", '{"email":1,"password":[],"verification_id":{},"priority":9,"status":true,"call_id":null,"callee_id":7,"hours":"x"}'],
  ["array", "[1,2,3]"],
  ["string", '"hello"'],
  ["broken JSON", '{"unterminated": '],
  ["huge number", '{"limit": 1e309, "duration_seconds": -1e308}'],
];
const ODD_IDS = ["x", "%00", "..%2F..%2Fetc", "a".repeat(300), "01900000-0000-7000-8000-000000000000"];

describe("robustness", () => {
  it("never answers 5xx to malformed calls of any route", async () => {
    const { body: doc } = await callJson("/openapi.json");
    const tokens = [undefined, await login("customer5@demo.test"), await login("manager@demo.test")];
    const failures: string[] = [];
    let calls = 0;
    // Sign-out revokes the caller's token, so it goes last: every other route still sees live tokens.
    const paths = Object.entries(doc.paths as Record<string, Record<string, unknown>>).sort(
      ([a], [b]) => Number(a === "/auth/logout") - Number(b === "/auth/logout"),
    );
    expect(paths.map(([p]) => p)).toEqual(expect.arrayContaining(["/auth/logout", "/users/{id}/disable", "/video-calls/{id}/override"]));
    for (const [path, methods] of paths) {
      for (const method of Object.keys(methods)) {
        for (const id of ODD_IDS) {
          const concrete =
            path.replace(/\{[^}]+\}/g, encodeURIComponent(id)) + "?limit=-5&hours=abc&cursor=%FF&priority_min=zzz&with=&call_id=";
          for (const token of tokens) {
            for (const [what, body] of method === "get" ? [JUNK_BODIES[0]!] : JUNK_BODIES) {
              const res = await call(concrete, {
                method: method.toUpperCase(),
                token,
                ...(body !== undefined ? { body, headers: { "Content-Type": "application/json" } } : {}),
              });
              calls++;
              const text = await res.text();
              if (res.status >= 500) failures.push(`${method.toUpperCase()} ${concrete} (${what}) → ${res.status} ${text.slice(0, 200)}`);
              else if (res.status >= 400) {
                const parsed = JSON.parse(text);
                if (typeof parsed?.error?.code !== "string" || typeof parsed?.error?.message !== "string")
                  failures.push(`${method} ${concrete}: bad error shape ${text.slice(0, 200)}`);
              }
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(500);
  }, 120_000);
});
