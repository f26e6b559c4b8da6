import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { unfitSecrets } from "../../worker/core/secrets.ts";
import { TEST_BINDINGS } from "../bindings.ts";

const strong = { JWT_SECRET: "k".repeat(20) + "Zq9-random-production-secret-xyz", DOCUMENT_MASTER_KEY: btoa("p".repeat(32)) };

function devVars(): Record<string, string> {
  const text = readFileSync(new URL("../../.dev.vars.example", import.meta.url), "utf8");
  return Object.fromEntries(
    text
      .split("\n")
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

describe("production secrets", () => {
  it("refuses the values published in .dev.vars.example and the test bindings", () => {
    const local = devVars();
    expect(unfitSecrets("production", { JWT_SECRET: local.JWT_SECRET, DOCUMENT_MASTER_KEY: strong.DOCUMENT_MASTER_KEY })).toEqual([
      "JWT_SECRET is a published local value",
    ]);
    expect(unfitSecrets("production", { JWT_SECRET: strong.JWT_SECRET, DOCUMENT_MASTER_KEY: local.DOCUMENT_MASTER_KEY })).toEqual([
      "DOCUMENT_MASTER_KEY is a published local value",
    ]);
    expect(unfitSecrets("production", TEST_BINDINGS)).toHaveLength(2);
  });

  it("refuses short or malformed secrets and missing ones", () => {
    expect(unfitSecrets("production", { ...strong, JWT_SECRET: "short-secret" })).toEqual(["JWT_SECRET is shorter than 32 characters"]);
    expect(unfitSecrets("production", { ...strong, DOCUMENT_MASTER_KEY: btoa("x".repeat(16)) })).toEqual([
      "DOCUMENT_MASTER_KEY is not the base64 of 32 bytes",
    ]);
    expect(unfitSecrets("production", {})).toHaveLength(2);
  });

  it("refuses the published values in staging too, a deployed environment", () => {
    expect(unfitSecrets("staging", TEST_BINDINGS)).toHaveLength(2);
    expect(unfitSecrets("staging", strong)).toEqual([]);
  });

  it("accepts real-looking secrets in production and anything locally", () => {
    expect(unfitSecrets("production", strong)).toEqual([]);
    expect(unfitSecrets("development", devVars())).toEqual([]);
    expect(unfitSecrets("test", TEST_BINDINGS)).toEqual([]);
  });
});
