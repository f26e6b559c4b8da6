import { execFile } from "node:child_process";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

// Runs `node scripts/redrive.ts` as an operator would. The VerifyID API is stood in for by a
// server on loopback that records what the script sent; the route itself is tested in workerd
// (test/worker/reliability/redrive.test.ts, test/faults/redrive.test.ts).

const ROOT = join(import.meta.dirname, "../..");
const REPORT = {
  records_unlogged: 3,
  records_requeued: 3,
  anchors_confirmed: 0,
  anchors_abandoned: 1,
  anchors_requeued: 1,
  reanchored_tree_size: null,
};

type Run = { code: number | null; stdout: string; stderr: string };
type Seen = { method: string; path: string; authorization?: string; body: string };

let server: Server;
let base: string;
let seen: Seen[] = [];
let answer: { status: number; body: unknown } = { status: 200, body: REPORT };

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["scripts/redrive.ts", ...args],
      { cwd: ROOT, timeout: 20_000, env: { ...process.env, VERIFYID_TOKEN: "", VERIFYID_PASSWORD: "", ...env } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return text;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await bodyOf(req);
    seen.push({ method: req.method!, path: req.url!, authorization: req.headers.authorization, body });
    res.setHeader("Content-Type", "application/json");
    if (req.url === "/api/v1/auth/login") {
      const { email, password } = JSON.parse(body);
      const ok = email === "it@demo.test" && password === "demo-password";
      res.writeHead(ok ? 200 : 401).end(JSON.stringify(ok ? { token: "signed-in-token" } : { error: { code: "invalid_credentials" } }));
      return;
    }
    res.writeHead(answer.status).end(JSON.stringify(answer.body));
  });
  server.listen(0, "127.0.0.1");
  await new Promise((done) => server.once("listening", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((done) => server.close(done)));

beforeEach(() => {
  seen = [];
  answer = { status: 200, body: REPORT };
});

describe("npm run redrive (against a stand-in API server)", () => {
  it("signs in as the demo IT user on a local URL, posts the re-drive with that token and prints the counts", async () => {
    const run = await cli(["--url", base]);
    expect(run.code).toBe(0);
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(["POST /api/v1/auth/login", "POST /api/v1/admin/redrive"]);
    expect(seen[1]!.authorization).toBe("Bearer signed-in-token");
    expect(run.stdout).toContain("re-queued 3 of 3 unlogged audit records and 1 of 1 abandoned anchors");
  });

  it("uses a given token without signing in", async () => {
    const run = await cli(["--url", base], { VERIFYID_TOKEN: "ops-token" });
    expect(run.code).toBe(0);
    expect(seen.map((s) => s.path)).toEqual(["/api/v1/admin/redrive"]);
    expect(seen[0]!.authorization).toBe("Bearer ops-token");
  });

  it("exits 1 with the server's reason when the re-drive is refused", async () => {
    answer = { status: 403, body: { error: { code: "forbidden", message: "Your role lacks the permission operations.redrive." } } };
    const run = await cli(["--url", base, "--token", "agent-token"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("re-drive answered 403: forbidden");
  });

  it("exits 1 when a queue took only part of the re-drive", async () => {
    answer = { status: 200, body: { ...REPORT, records_requeued: 1 } };
    expect((await cli(["--url", base, "--token", "t"])).code).toBe(1);
  });

  it("exits 2 without credentials for a URL that is not local, before calling anything", async () => {
    const run = await cli(["--url", "https://verifyid.example"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--token");
    expect(seen).toEqual([]);
  });
});
