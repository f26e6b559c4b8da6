// Which secrets a production deployment must refuse: the local defaults published in
// .dev.vars.example and the test suite, and anything too weak to be a real key. Pure, so the
// rule is tested without a deployment.

/** Values that are public in this repository; a deployment using one has no secret at all. */
export const PUBLISHED_SECRETS: Readonly<Record<string, readonly string[]>> = {
  JWT_SECRET: ["dev-only-jwt-secret-change-me-0123456789abcdef", "test-only-jwt-secret-0123456789abcdef0123456789"],
  DOCUMENT_MASTER_KEY: ["ZGV2LW9ubHktZG9jdW1lbnQta2V5LTMyLWJ5dGVzISE=", "dGVzdC1vbmx5LWRvY3VtZW50LWtleS0zMi1ieXRlcyE="],
};

const MIN_JWT_SECRET_LENGTH = 32;

function base64Length(value: string): number | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) return null;
  return (value.length / 4) * 3 - (value.match(/=+$/)?.[0].length ?? 0);
}

const DEPLOYED_ENVIRONMENTS: ReadonlySet<string> = new Set(["production", "staging"]);

/** Why the secrets are unfit for `environment` (empty when they are fine). Deployed environments
 * (production, staging) refuse; local development and tests run on the published values. */
export function unfitSecrets(
  environment: string,
  secrets: { JWT_SECRET?: string | undefined; DOCUMENT_MASTER_KEY?: string | undefined },
): string[] {
  if (!DEPLOYED_ENVIRONMENTS.has(environment)) return [];
  const problems: string[] = [];
  const jwt = secrets.JWT_SECRET ?? "";
  if (PUBLISHED_SECRETS.JWT_SECRET!.includes(jwt) || /^(dev|test)-only/.test(jwt)) problems.push("JWT_SECRET is a published local value");
  else if (jwt.length < MIN_JWT_SECRET_LENGTH) problems.push(`JWT_SECRET is shorter than ${MIN_JWT_SECRET_LENGTH} characters`);
  const key = secrets.DOCUMENT_MASTER_KEY ?? "";
  if (PUBLISHED_SECRETS.DOCUMENT_MASTER_KEY!.includes(key)) problems.push("DOCUMENT_MASTER_KEY is a published local value");
  else if (base64Length(key) !== 32) problems.push("DOCUMENT_MASTER_KEY is not the base64 of 32 bytes");
  return problems;
}
