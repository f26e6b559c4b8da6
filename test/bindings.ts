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
  // One JSON line per request would bury test output; tests that read the logs raise the level.
  LOG_LEVEL: "warn",
  // Wider than the default 250 ms, so "taken between two digests" holds on a loaded CI machine
  // (test/worker/queue/staff-digest.test.ts reads it).
  STAFF_DIGEST_INTERVAL_MS: "600",
  // Health tests change the pipeline between two polls; the cache itself is tested with its own value.
  HEALTH_CACHE_MS: "0",
  // Webhook receivers in tests listen on 127.0.0.1 over http; retries come quickly.
  WEBHOOK_ALLOW_PRIVATE_URLS: "true",
  WEBHOOK_RETRY_DELAYS_SECONDS: "0,0,0",
};

// The worker and faults projects make many requests per user and sign in many times from one
// address ("local"), so they run with abuse limits raised by vars, the way a bench would pass
// `--var RATE_LIMIT_QUEUE_PER_MINUTE:10000`. Sign-in per address and email keeps its default (10):
// test/worker/auth.test.ts proves it. The `limits` project runs with every default
// (test/limits/), proving each limit.
export const RAISED_LIMITS = {
  RATE_LIMIT_QUEUE_PER_MINUTE: "10000",
  RATE_LIMIT_VERIFICATIONS_PER_MINUTE: "10000",
  RATE_LIMIT_UPLOADS_PER_MINUTE: "10000",
  RATE_LIMIT_DIRECT_CALLS_PER_MINUTE: "10000",
  RATE_LIMIT_SOCKETS_PER_MINUTE: "10000",
  RATE_LIMIT_PUBLIC_AUDIT_PER_MINUTE: "10000",
  RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: "10000",
};
