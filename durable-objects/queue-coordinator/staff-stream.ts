// The coordinator's coalesced stream (worker/core/queue/staff-digest.ts): pending-list messages
// for agents' sockets, the queue totals for every staff socket and the customers' places, sent
// as one digest `intervalMs` after the first change since the last digest. So a burst of calls costs each
// bystander a few frames a second, not a frame per change, and a call offered and taken within
// one interval costs bystanders nothing.
// Held in memory only: after an eviction the next digest re-sends every place and the summary,
// and a socket that (re)connects gets the whole list in its greeting.
import type { QueueSummary } from "../../worker/schemas/messages.ts";
import {
  agentsFrame,
  collapsePendingList,
  placeUpdates,
  queueUpdate,
  type PendingListMessage,
  type PlaceKey,
} from "../../worker/core/queue/staff-digest.ts";
import type { QueueState } from "../../worker/core/queue/index.ts";
import { sendToTag } from "../shared/sockets.ts";

const pendingIds = (state: QueueState) => new Set([...state.calls.values()].filter((c) => c.status === "pending").map((c) => c.id));

export class StaffStream {
  private pending: PendingListMessage[] = [];
  private changed = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastSummary: QueueSummary | null = null;
  private places = new Map<string, PlaceKey>();
  /** The calls agents' sockets list: pending at the last digest (or when this object woke). */
  private listed: Set<string> | null = null;

  private readonly ctx: DurableObjectState;
  private readonly view: () => { state: QueueState; now: number };
  private readonly intervalMs: number;

  constructor(ctx: DurableObjectState, view: () => { state: QueueState; now: number }, intervalMs: number) {
    this.ctx = ctx;
    this.view = view;
    this.intervalMs = intervalMs;
  }

  /** On wake: what agents' sockets list is taken to be what is pending (they were greeted with
   * it, or heard it before the eviction). */
  wake(state: QueueState) {
    this.listed = pendingIds(state);
  }

  /** A transition's pending-list messages (maybe none); `changed` when the queue moved at all. */
  add(messages: PendingListMessage[], changed: boolean) {
    this.pending.push(...messages);
    this.changed ||= changed || messages.length > 0;
    if (this.changed && !this.timer) this.timer = setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Sends what is due now; a socket about to be greeted calls it first, so that its snapshot and
   * the stream after it agree (nothing it lists was announced before it joined). */
  flush() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.changed) return;
    const { state, now } = this.view();
    this.changed = false;
    const pendingNow = pendingIds(state);
    const listed = this.listed ?? pendingNow;
    const messages = collapsePendingList(
      this.pending,
      (id) => listed.has(id),
      (id) => pendingNow.has(id),
    );
    this.pending = [];
    this.listed = pendingNow;
    const summary = queueUpdate(state, now, this.lastSummary);
    if (summary) {
      const { type: _type, ...figures } = summary;
      this.lastSummary = figures;
    }
    // Managers heard the pending-list changes as they happened (the coordinator's deliver); agents
    // get one frame per digest, however many calls it covers.
    const frame = agentsFrame(messages, summary);
    if (frame) sendToTag(this.ctx, "agents", frame);
    if (summary) sendToTag(this.ctx, "managers", summary);
    const { updates, keys } = placeUpdates(state, now, this.places);
    this.places = keys;
    if (updates.length === 0) return;
    // One pass over the sockets rather than a lookup per waiting call: most calls may have no
    // waiting room open.
    const open = new Set(this.ctx.getWebSockets().flatMap((ws) => this.ctx.getTags(ws).filter((t) => t.startsWith("call:"))));
    for (const { callId, message } of updates) if (open.has(`call:${callId}`)) sendToTag(this.ctx, `call:${callId}`, message);
  }
}
