// The peers, started on demand and stopped at the end of the run: the Socket.IO server
// (socketio-server.ts) and a local redis-server for BullMQ, installed from Debian's packages
// when missing (`apt-get install -y redis-server`, through sudo when not root).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { join } from "node:path";
import { sleep } from "../lib/clock.ts";
import { freePort, ROOT, TOOL_ENV } from "../system/processes.ts";

export type PeerProcess = { pid: number; url: string; stop(): Promise<void> };

function stopper(child: ChildProcess) {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once("exit", done));
    child.kill("SIGTERM");
    await exited;
  };
}

/** The Socket.IO peer on a free port. */
export async function startSocketIoPeer(): Promise<PeerProcess> {
  const child = spawn(process.execPath, [join(ROOT, "bench", "peers", "socketio-server.ts")], {
    cwd: ROOT,
    env: TOOL_ENV,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((done, fail) => {
    child.once("exit", (code) => fail(new Error(`the Socket.IO peer exited with ${code}`)));
    child.stdout!.on("data", (c: Buffer) => {
      const m = /listening (\d+)/.exec(c.toString());
      if (m) done(Number(m[1]));
    });
  });
  return { pid: child.pid!, url: `http://127.0.0.1:${port}`, stop: stopper(child) };
}

function hasRedis(): boolean {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Installs redis-server from Debian's packages if it is not there yet. */
export function ensureRedis(log: (line: string) => void) {
  if (hasRedis()) return;
  log("  redis-server is missing: apt-get install -y redis-server");
  const root = process.getuid?.() === 0;
  const run = (args: string[]) => execFileSync(root ? args[0]! : "sudo", root ? args.slice(1) : args, { stdio: "inherit" });
  run(["apt-get", "update"]);
  run(["apt-get", "install", "-y", "redis-server"]);
}

function ping(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
    socket.once("data", (d) => {
      socket.destroy();
      done(d.toString().startsWith("+PONG"));
    });
    socket.once("error", () => done(false));
  });
}

/** A throwaway redis-server on a free port: no persistence, loopback only. */
export async function startRedis(log: (line: string) => void): Promise<PeerProcess> {
  ensureRedis(log);
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--maxclients", "20000", "--loglevel", "warning"],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  for (let i = 0; i < 100 && !(await ping(port)); i++) await sleep(100);
  return { pid: child.pid!, url: `redis://127.0.0.1:${port}`, stop: stopper(child) };
}
