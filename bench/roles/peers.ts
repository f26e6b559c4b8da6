// The peers' clients (bench/peers/): Socket.IO sockets that note each broadcast's arrival, an
// emitter that asks the Socket.IO server for events at a fixed rate, and BullMQ workers and a
// producer for the dispatch comparison.
import { Queue, Worker } from "bullmq";
import { io, type Socket } from "socket.io-client";
import { CountingWindow, now, sleep, until } from "../lib/clock.ts";
import { inParallel } from "../lib/api.ts";
import { arrivalLog, type Arrivals } from "./dashboards.ts";
import type { Sent } from "./enqueuer.ts";
import type { RoleInstance } from "./role.ts";

export type SocketIoClientsParams = { url: string; count: number };

export async function socketIoClients(params: SocketIoClientsParams): Promise<RoleInstance> {
  const log = arrivalLog();
  const frames: Record<string, number> = {};
  const window = new CountingWindow();
  const sockets: Socket[] = await inParallel(
    Array.from({ length: params.count }, (_, i) => i),
    16,
    () =>
      new Promise<Socket>((done, fail) => {
        const socket = io(params.url, { transports: ["websocket"], reconnection: false, forceNew: true });
        socket.on("call_event", (msg: { event: string; call: { verification_id: string } }) => {
          if (!window.open) return;
          frames.call_event = (frames.call_event ?? 0) + 1;
          log.add(`${msg.call.verification_id}:${msg.event}`, now());
        });
        socket.once("connect", () => done(socket));
        socket.once("connect_error", fail);
      }),
  );
  let dropped = 0;
  for (const s of sockets) s.on("disconnect", (reason) => void (reason !== "io client disconnect" && dropped++));
  return {
    async run(at) {
      await window.span(at);
      for (const s of sockets) s.disconnect();
      const result: Arrivals = { arrivals: log.done(), frames, sockets: sockets.length, dropped };
      return result;
    },
    stop: () => window.stop(),
  };
}

export type EmitterParams = { url: string; rate: number; count: number };

/** POSTs `{key, event}` to the Socket.IO peer at `rate`; keys are "peer-<n>" and events alternate like enqueue/cancel. */
export async function emitter(params: EmitterParams): Promise<RoleInstance> {
  return {
    async run(at) {
      const submits: Sent[] = [];
      const inFlight: Promise<void>[] = [];
      for (let i = 0; i < params.count; i++) {
        await until(at + (i * 1000) / params.rate);
        const sent: Sent = { key: `peer-${i >> 1}:${i % 2 ? "call_ended" : "call_updated"}`, sentAt: now(), doneAt: 0, status: 0 };
        inFlight.push(
          fetch(`${params.url}/emit`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ key: sent.key }),
          })
            .then(async (res) => {
              await res.arrayBuffer();
              sent.status = res.status;
            })
            .catch(() => void (sent.status = -1))
            .finally(() => {
              sent.doneAt = now();
              submits.push(sent);
            }),
        );
      }
      await Promise.all(inFlight);
      return { submits, cancels: [], prepFailures: 0 };
    },
  };
}

export type BullWorkersParams = { redisUrl: string; queue: string; workers: number; holdMs: number };
export type BullStart = { key: string; at: number; worker: number };

/** `workers` BullMQ workers, concurrency 1 each (one agent each): record when each job starts. */
export async function bullWorkers(params: BullWorkersParams): Promise<RoleInstance> {
  const connection = { url: params.redisUrl, maxRetriesPerRequest: null };
  const starts: BullStart[] = [];
  const window = new CountingWindow();
  const workers = await inParallel(
    Array.from({ length: params.workers }, (_, i) => i),
    16,
    async (i) => {
      const worker = new Worker(
        params.queue,
        async (job) => {
          if (window.open) starts.push({ key: String(job.data.key), at: now(), worker: i });
          if (params.holdMs) await sleep(params.holdMs);
        },
        { connection, concurrency: 1, autorun: true },
      );
      await worker.waitUntilReady();
      return worker;
    },
  );
  return {
    async run(at) {
      await window.span(at);
      await Promise.all(workers.map((w) => w.close()));
      return starts;
    },
    stop: () => window.stop(),
  };
}

export type BullProducerParams = { redisUrl: string; queue: string; rate: number; count: number; prefix: string };

/** Adds `count` jobs at `rate` a second (open loop). */
export async function bullProducer(params: BullProducerParams): Promise<RoleInstance> {
  const queue = new Queue(params.queue, { connection: { url: params.redisUrl, maxRetriesPerRequest: null } });
  await queue.waitUntilReady();
  return {
    async run(at) {
      const submits: Sent[] = [];
      const inFlight: Promise<void>[] = [];
      for (let i = 0; i < params.count; i++) {
        await until(at + (i * 1000) / params.rate);
        const sent: Sent = { key: `${params.prefix}-${i}`, sentAt: now(), doneAt: 0, status: 0 };
        inFlight.push(
          queue
            .add("call", { key: sent.key }, { removeOnComplete: true, removeOnFail: true })
            .then(() => void (sent.status = 201))
            .catch(() => void (sent.status = -1))
            .finally(() => {
              sent.doneAt = now();
              submits.push(sent);
            }),
        );
      }
      await Promise.all(inFlight);
      await queue.close();
      return { submits, cancels: [], prepFailures: 0 };
    },
  };
}
