// Test-only secrets and settings for the workerd test project. Fixed values keep failures
// reproducible; they protect nothing.
export const TEST_BINDINGS = {
  ENVIRONMENT: "test",
  JWT_SECRET: "test-only-jwt-secret-0123456789abcdef0123456789",
  DOCUMENT_MASTER_KEY: "dGVzdC1vbmx5LWRvY3VtZW50LWtleS0zMi1ieXRlcyE=",
  THRONOS_AI_KEY: "test-ai-key",
  // Nothing listens on port 1: until a test starts the local Thronos node, nodes are "down".
  THRONOS_MASTER_URL: "http://127.0.0.1:1",
  THRONOS_REPLICA_URL: "http://127.0.0.1:1",
  THRONOS_AI_URL: "http://127.0.0.1:1",
};
