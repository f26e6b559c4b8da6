// Test-only secrets and settings for the workerd test projects. Fixed values keep failures
// reproducible; they protect nothing. The THRONOS_*_URL bindings come from each project's local
// node set (test/global-setup.ts, wired in vitest.config.ts).
import { generateKeyPairSync } from "node:crypto";

// A fresh audit signing key per run, so no private key is ever committed.
const auditKey = generateKeyPairSync("ed25519").privateKey.export({ format: "der", type: "pkcs8" }).toString("base64");

export const TEST_BINDINGS = {
  AUDIT_SIGNING_KEY: auditKey,
  AUDIT_LOG_ORIGIN: "verifyid.test/audit-log",
  ENVIRONMENT: "test",
  JWT_SECRET: "test-only-jwt-secret-0123456789abcdef0123456789",
  DOCUMENT_MASTER_KEY: "dGVzdC1vbmx5LWRvY3VtZW50LWtleS0zMi1ieXRlcyE=",
  // The key the local Thronos AI node accepts.
  THRONOS_AI_KEY: "test-ai-key",
  // The demo customers open many verifications across test files; the cap itself is tested with
  // a fresh customer against this value.
  MAX_OPEN_VERIFICATIONS_PER_CUSTOMER: "100",
};
