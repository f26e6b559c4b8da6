// Who hears what on the dashboard stream: each socket's streams and metrics period, kept in
// memory by the DashboardHub (rebuilt from the sockets' attachments when it wakes), so a message
// costs one lookup per socket, never a deserialization. A socket that is still waiting for its
// initial state keeps what arrives meanwhile and, once the state is sent, gets only what that
// state did not already show. Generic over the socket so the rules run without workerd.
import type { DashboardStream } from "../schemas/messages.ts";

export type Subscription = { streams: DashboardStream[]; hours: number };

type Entry = Subscription & {
  /** Publications up to this number are in the socket's initial state. */
  since: number;
  /** Messages that came before the initial state was sent; null once it was. */
  waiting: Array<{ seq: number; text: string }> | null;
};

/** Sends `text` to `socket`; false when the socket is gone. */
export type Send<S> = (socket: S, text: string) => boolean;

export class Subscribers<S> {
  private readonly entries = new Map<S, Entry>();

  get size(): number {
    return this.entries.size;
  }

  has(socket: S): boolean {
    return this.entries.has(socket);
  }

  /** A new socket waits for its initial state; one found again after a wake is live at once. */
  add(socket: S, subscription: Subscription, live = false) {
    this.entries.set(socket, { ...subscription, since: 0, waiting: live ? null : [] });
  }

  remove(socket: S) {
    this.entries.delete(socket);
  }

  /** Forgets every socket `keep` refuses (closed ones whose close was never reported). */
  retain(keep: (socket: S) => boolean) {
    for (const socket of this.entries.keys()) if (!keep(socket)) this.entries.delete(socket);
  }

  /** Changes a socket's streams; false for a socket not known here. */
  setStreams(socket: S, streams: DashboardStream[]): boolean {
    const entry = this.entries.get(socket);
    if (!entry) return false;
    entry.streams = streams;
    return true;
  }

  /** Whether any socket hears `stream`. */
  hears(stream: DashboardStream): boolean {
    for (const entry of this.entries.values()) if (entry.streams.includes(stream)) return true;
    return false;
  }

  /** The distinct metrics periods of the sockets on `stream`. */
  periods(stream: DashboardStream): Set<number> {
    const hours = new Set<number>();
    for (const entry of this.entries.values()) if (entry.streams.includes(stream)) hours.add(entry.hours);
    return hours;
  }

  /** Sends the (already serialized) publication `seq` to every socket on `stream`, only to those
   * with period `hours` when given; sockets whose initial state shows it already are skipped. */
  publish(stream: DashboardStream, seq: number, text: string, send: Send<S>, hours?: number) {
    for (const [socket, entry] of this.entries) {
      if (!entry.streams.includes(stream) || (hours !== undefined && entry.hours !== hours)) continue;
      if (entry.waiting) entry.waiting.push({ seq, text });
      else if (seq > entry.since && !send(socket, text)) this.entries.delete(socket);
    }
  }

  /** The socket's initial state, showing publications up to `seq`, was sent: what waited and is
   * newer follows it, and from now on the socket hears publications as they come. */
  live(socket: S, seq: number, send: Send<S>) {
    const entry = this.entries.get(socket);
    if (!entry) return;
    const waiting = entry.waiting ?? [];
    entry.since = seq;
    entry.waiting = null;
    for (const m of waiting) {
      if (m.seq > seq && !send(socket, m.text)) {
        this.entries.delete(socket);
        return;
      }
    }
  }
}
