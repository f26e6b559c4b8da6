// The coordinator's side of the dashboards: it publishes each transition's messages to the
// tenant's DashboardHub, which owns the sockets, and does nothing per dashboard. One publish RPC
// is in flight at a time, so the hub hears everything in order; what arrives meanwhile goes in
// the next batch, superseded snapshots coalesced. The hub's answer says whether anyone listens;
// while nobody does the coordinator does not even build the messages.
import { errorFields, log } from "../../worker/observability/log.ts";
import {
  coalescePublications,
  nextPublicationSeq,
  type DashboardBatch,
  type DashboardOutgoing,
  type DashboardPublication,
} from "../../worker/core/queue/dashboard-events.ts";
import type { LiveFigures } from "../../worker/core/metrics.ts";

/** What the feed needs of the hub: the publish RPC (a fresh stub per call, since a stub that
 * threw may be broken). */
export type DashboardHubLink = () => { publish(batch: DashboardBatch): Promise<{ listening: boolean }> } | null;

/** Attempts per batch before it is given up (and logged): dashboards that missed it get a fresh
 * initial state when they reconnect. */
export const PUBLISH_ATTEMPTS = 3;
const RETRY_DELAY_MS = 100;

export class DashboardFeed {
  private readonly hub: DashboardHubLink;
  private readonly live: () => LiveFigures;
  private readonly retryDelayMs: number;
  private pending: DashboardPublication[] = [];
  private sending: Promise<void> | null = null;
  private seq = 0;
  /** Until the hub says otherwise: after a restart the coordinator does not know. */
  private hubListening = true;
  /** Dashboards that connected so far; an answer "nobody listens" from before the latest
   * connect is out of date. */
  private connects = 0;

  /** `live` gives the live figures as of now; they go with each batch for the hub's metrics. */
  constructor(hub: DashboardHubLink, live: () => LiveFigures, retryDelayMs = RETRY_DELAY_MS) {
    this.hub = hub;
    this.live = live;
    this.retryDelayMs = retryDelayMs;
  }

  /** Whether any dashboard may be listening; when not, skip building messages at all. */
  get listening(): boolean {
    return this.hubListening;
  }

  /** A dashboard connects at `now`: publish from now on. Returns a number at least that of the
   * last publication, which the dashboard's initial state (taken now) already shows, and below
   * every later one; after a restart also above what the coordinator published before. */
  listen(now: number): number {
    this.connects++;
    this.hubListening = true;
    this.seq = Math.max(this.seq, now * 1000);
    return this.seq;
  }

  /** Queues one transition's messages (possibly none: its metrics still changed) at `now`;
   * returns the send loop when this call started it, for the caller's waitUntil. */
  publish(messages: DashboardOutgoing[], now: number): Promise<void> | null {
    this.seq = nextPublicationSeq(this.seq, now);
    for (const m of messages) this.pending.push({ ...m, seq: this.seq });
    if (this.sending) return null;
    this.sending = this.drain(this.seq);
    return this.sending;
  }

  private async drain(firstSeq: number) {
    let sentUpTo = firstSeq - 1;
    try {
      while (this.seq > sentUpTo) {
        const batch: DashboardBatch = { messages: coalescePublications(this.pending), seq: this.seq, live: this.live() };
        this.pending = [];
        sentUpTo = batch.seq;
        const connects = this.connects;
        const reply = await this.send(batch);
        if (reply && !reply.listening && this.connects === connects) {
          this.hubListening = false;
          this.pending = [];
          return;
        }
      }
    } finally {
      this.sending = null;
    }
  }

  private async send(batch: DashboardBatch): Promise<{ listening: boolean } | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        const hub = this.hub();
        return hub ? await hub.publish(batch) : null;
      } catch (err) {
        if (attempt >= PUBLISH_ATTEMPTS) {
          log("warn", "dashboard_publish_dropped", { attempts: attempt, messages: batch.messages.length, ...errorFields(err) });
          return null;
        }
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * attempt));
      }
    }
  }
}
