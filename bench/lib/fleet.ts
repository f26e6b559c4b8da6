// Client processes: each a `node bench/client.ts` fork that plays one role (agents, dashboards,
// an enqueuer, ...) for its share of sockets or requests and reports its samples back. Every
// process stamps samples with the shared clock (clock.ts), so the parent can join an enqueue
// seen in one process with the offer seen in another.
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { now } from "./clock.ts";
import type { RoleName } from "../roles/index.ts";

export type Task = { role: RoleName; params: unknown };

/** What a client process sends back when its role is done. */
export type Report<T> = { result: T; cpuMs: number; rssMb: number };

type FromClient =
  | { type: "ready" }
  | { type: "result"; result: unknown; cpuMs: number; rssMb: number }
  | { type: "reply"; id: number; value: unknown }
  | { type: "error"; message: string };

const CLIENT = join(import.meta.dirname, "..", "client.ts");

class Client {
  readonly child: ChildProcess;
  readonly task: Task;
  private waiting = new Map<string, { done: (v: any) => void; fail: (e: Error) => void }>();
  private early = new Map<string, FromClient>();
  private failure: Error | null = null;

  constructor(task: Task) {
    this.task = task;
    // Advanced serialization: typed arrays and Maps cross the channel without JSON.
    this.child = fork(CLIENT, [], { serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.child.on("message", (msg: FromClient) => {
      const key = msg.type === "reply" ? `reply:${msg.id}` : msg.type;
      if (msg.type === "error") return this.fail(new Error(`client ${task.role}: ${msg.message}`));
      const w = this.waiting.get(key);
      if (w) {
        this.waiting.delete(key);
        w.done(msg);
      } else this.early.set(key, msg);
    });
    this.child.on("exit", (code, signal) => this.fail(new Error(`client ${task.role} exited (${code ?? signal}) before answering`)));
  }

  private fail(err: Error) {
    this.failure = err;
    for (const w of this.waiting.values()) w.fail(err);
    this.waiting.clear();
  }

  /** The next message of `key` ("ready", "result", "reply:<id>"). */
  next<T extends FromClient>(key: string, timeoutMs: number): Promise<T> {
    const got = this.early.get(key);
    if (got) {
      this.early.delete(key);
      return Promise.resolve(got as T);
    }
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((done, fail) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        fail(new Error(`client ${this.task.role}: no ${key} within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.waiting.set(key, {
        done: (v) => {
          clearTimeout(timer);
          done(v);
        },
        fail: (e) => {
          clearTimeout(timer);
          fail(e);
        },
      });
    });
  }

  send(message: unknown) {
    if (this.child.connected) this.child.send(message as object);
  }
}

/** A set of client processes started together; see `startFleet`. */
export class Fleet {
  private readonly clients: Client[];
  private commandIds = 0;

  private constructor(clients: Client[]) {
    this.clients = clients;
  }

  /** Forks one process per task and resolves once every one has finished its setup (sockets open, ...). */
  static async start(tasks: Task[], setupTimeoutMs = 300_000): Promise<Fleet> {
    const fleet = new Fleet(tasks.map((t) => new Client(t)));
    try {
      for (const c of fleet.clients) c.send({ type: "setup", role: c.task.role, params: c.task.params });
      await Promise.all(fleet.clients.map((c) => c.next("ready", setupTimeoutMs)));
    } catch (err) {
      await fleet.close();
      throw err;
    }
    return fleet;
  }

  get size() {
    return this.clients.length;
  }

  /** Starts every role at one shared instant, `leadMs` from now; returns that instant. */
  go(leadMs = 250): number {
    const at = now() + leadMs;
    for (const c of this.clients) c.send({ type: "go", at });
    return at;
  }

  /** Tells the open-ended roles (agents, dashboards) among `which` to finish and report. */
  stop(which: (task: Task) => boolean = () => true) {
    for (const c of this.clients) if (which(c.task)) c.send({ type: "stop" });
  }

  /** The reports of the clients whose task matches, in task order. */
  async reports<T>(which: (task: Task) => boolean, timeoutMs: number): Promise<Report<T>[]> {
    const mine = this.clients.filter((c) => which(c.task));
    const msgs = await Promise.all(mine.map((c) => c.next<Extract<FromClient, { type: "result" }>>("result", timeoutMs)));
    return msgs.map((m) => ({ result: m.result as T, cpuMs: m.cpuMs, rssMb: m.rssMb }));
  }

  /** Asks client `index` to run a command of its role (e.g. "send N requests") and waits for the answer. */
  async command<T>(index: number, body: unknown, timeoutMs = 600_000): Promise<T> {
    const id = ++this.commandIds;
    const client = this.clients[index]!;
    client.send({ type: "command", id, body });
    const reply = await client.next<Extract<FromClient, { type: "reply" }>>(`reply:${id}`, timeoutMs);
    return reply.value as T;
  }

  /** Ends every client process (asking first, then SIGKILL after a grace period). */
  async close(graceMs = 5_000): Promise<void> {
    await Promise.all(
      this.clients.map(async (c) => {
        if (c.child.exitCode !== null || c.child.signalCode !== null) return;
        const exited = new Promise<void>((done) => c.child.once("exit", () => done()));
        c.send({ type: "exit" });
        const timer = setTimeout(() => c.child.kill("SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}
