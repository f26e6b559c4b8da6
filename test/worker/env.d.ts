// Test-only bindings added by vitest.config.ts.
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** The control server of the project's local Thronos node set (thronos-node/server.ts). */
    THRONOS_CONTROL_URL: string;
    /** Set by test/bindings.ts; the worker reads it through worker/config.ts. */
    MAX_OPEN_VERIFICATIONS_PER_CUSTOMER: string;
    MAX_DOCUMENTS_PER_VERIFICATION?: string;
  }
}

/** sigstore's Rekor inclusion check (an independent RFC 6962 implementation); untyped upstream. */
declare module "@sigstore/verify/dist/tlog/merkle.js" {
  export function verifyMerkleInclusion(
    entry: { canonicalizedBody: Uint8Array; inclusionProof: { logIndex: string; hashes: Uint8Array[] } },
    checkpoint: { logSize: bigint; logHash: Uint8Array },
  ): void;
}
