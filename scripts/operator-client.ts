// What the operator scripts (`npm run redrive`, `npm run keys:rotate`) share: JSON requests to
// the API and a staff token (given, from VERIFYID_TOKEN, or by signing in; against the local
// stack the demo IT user by default).

import { parseArgs } from "node:util";

const REQUEST_TIMEOUT_MS = 30_000;
const LOCAL_DEMO = { email: "it@demo.test", password: "demo-password" };

/** Bad usage: the script exits 2. */
export class UsageError extends Error {}

export type Json = Record<string, any>;

export async function send(
  url: string,
  init: { method?: string; token?: string; json?: unknown } = {},
): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.json !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(url, {
    method: init.method ?? "GET",
    headers,
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  let body: Json = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { error: { message: text.slice(0, 200) } };
  }
  return { status: res.status, body };
}

const isLocal = (base: string) => ["localhost", "127.0.0.1", "[::1]"].includes(new URL(base).hostname);

export async function tokenFor(base: string, values: { token?: string; email?: string; password?: string }): Promise<string> {
  const token = values.token ?? (process.env.VERIFYID_TOKEN || undefined);
  if (token) return token;
  const local = isLocal(base);
  const email = values.email ?? (local ? LOCAL_DEMO.email : undefined);
  const password = values.password ?? (process.env.VERIFYID_PASSWORD || undefined) ?? (local ? LOCAL_DEMO.password : undefined);
  if (!email || !password) throw new UsageError("give --token (or VERIFYID_TOKEN), or --email with --password (or VERIFYID_PASSWORD)");
  const login = await send(`${base}/api/v1/auth/login`, { method: "POST", json: { email, password } });
  if (login.status !== 200) throw new Error(`sign-in as ${email} answered ${login.status}: ${login.body.error?.message ?? ""}`);
  return login.body.token as string;
}

/** Parses the shared command line (--url, --token, --email, --password, --help; --help prints
 * `usage`), gets a token and runs `main`, exiting with its code, 2 for bad usage or 1 for any
 * other failure. */
export function runOperatorScript(usage: string, main: (base: string, token: string) => Promise<number>): void {
  const run = async (): Promise<number> => {
    let values;
    try {
      ({ values } = parseArgs({
        options: {
          url: { type: "string", default: "http://localhost:8787" },
          token: { type: "string" },
          email: { type: "string" },
          password: { type: "string" },
          help: { type: "boolean", short: "h" },
        },
      }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (values.help) {
      console.log(usage);
      return 0;
    }
    const base = values.url.replace(/\/+$/, "");
    if (!URL.canParse(base)) throw new UsageError(`--url ${values.url} is not a URL`);
    return main(base, await tokenFor(base, values));
  };
  run().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(`${error.message}\n${usage}`);
        process.exit(2);
      }
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
