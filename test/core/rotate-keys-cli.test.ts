import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

// Runs `node scripts/rotate-keys.ts` as an operator would, against a loopback stand-in for
// POST /api/v1/admin/keys/rotate that answers two steps; the route itself is tested in workerd
// (test/worker/lifecycle/keys.test.ts).

const ROOT = join(import.meta.dirname, "../..");
type Run = { code: number | null; stdout: string; stderr: string };

let server: Server;
let base: string;
let cursors: string[] = [];
let refuse = false;

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["scripts/rotate-keys.ts", ...args],
      { cwd: ROOT, timeout: 20_000, env: { ...process.env, VERIFYID_TOKEN: "", VERIFYID_PASSWORD: "" } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    res.setHeader("Content-Type", "application/json");
    if (refuse || req.headers.authorization !== "Bearer it-token") {
      res
        .writeHead(403)
        .end(JSON.stringify({ error: { code: "forbidden", message: "Your role lacks the permission operations.redrive." } }));
      return;
    }
    const { cursor } = JSON.parse(body);
    cursors.push(cursor);
    const first = cursor === "";
    res.writeHead(200).end(
      JSON.stringify({
        master_version: 2,
        rewrapped: first ? 2 : 1,
        adopted: first ? 1 : 0,
        scanned: 2,
        next_cursor: first ? "doc-2" : null,
        done: !first,
      }),
    );
  });
  server.listen(0, "127.0.0.1");
  await new Promise((done) => server.once("listening", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((done) => server.close(done)));

beforeEach(() => {
  cursors = [];
  refuse = false;
});

describe("keys:rotate", { timeout: 30_000 }, () => {
  it("steps through the rotation, passing each step's cursor on, until done", async () => {
    const run = await cli(["--url", base, "--token", "it-token"]);
    expect(run.code).toBe(0);
    expect(cursors).toEqual(["", "doc-2"]);
    expect(run.stdout).toContain("done: every data key is under master key version 2 (re-wrapped 3, adopted 1, scanned 4)");
  });

  it("exits 1 when the route refuses, and 2 on bad usage", async () => {
    refuse = true;
    const refused = await cli(["--url", base, "--token", "it-token"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("answered 403: forbidden");
    expect((await cli(["--url", "not a url", "--token", "x"])).code).toBe(2);
  });
});
