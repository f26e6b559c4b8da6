// Test-only bindings added by vitest.config.ts.
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** The control server of the project's local Thronos node set (thronos-node/server.ts). */
    THRONOS_CONTROL_URL: string;
  }
}
