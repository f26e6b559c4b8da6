// The coalesced half of the staff sockets' stream. A queue change reaches the people it
// concerns at once (the offered or assigned agent, the customer; notifications.ts); everybody
// else's pending list, the queue summary and the customers' places follow as one digest a few
// times a second, whatever the call rate. So the frames a call costs do not grow with the number
// of agents times the number of changes. Pure: messages and state in, messages out.
import { wordOf } from "../priority.ts";
import type { DigestedMessage, QueueSummary, StaffServerMessage, WaitingRoomMessage } from "../../schemas/messages.ts";
import { queuePositions } from "./estimate.ts";
import type { QueueState } from "./types.ts";
import { queueSummary } from "./views.ts";

/** The pending-list messages every staff socket hears (API.md), as opposed to a user's own. */
export type PendingListMessage = Extract<
  StaffServerMessage,
  { type: "new_call" | "call_updated" | "call_taken" | "call_started" | "call_completed" | "call_cancelled" }
>;

type Leaving = Extract<DigestedMessage, { type: "call_taken" | "call_completed" | "call_cancelled" }>;
const isLeaving = (m: PendingListMessage): m is Leaving =>
  m.type === "call_taken" || m.type === "call_completed" || m.type === "call_cancelled";

export const callIdOf = (m: PendingListMessage): string => ("call_id" in m ? m.call_id : m.call.id);

/**
 * What an agent's socket that followed the list at the last digest needs to follow it now, from
 * everything sent since, in order. Per call: its latest view when it is pending now (`new_call`
 * when the socket did not list it); the message that took it off the list when it was listed and
 * is not pending now; nothing when the socket did not list it and it is not pending (it came and
 * went between two digests, or it was never the socket's to see: whoever it concerned heard it
 * directly). `listed` says whether a call was pending at the last digest, `isPending` now.
 */
export function collapsePendingList(
  messages: PendingListMessage[],
  listed: (callId: string) => boolean,
  isPending: (callId: string) => boolean,
): DigestedMessage[] {
  // Each call's latest message, and its latest leaving message, by index (to keep the stream's order).
  const latest = new Map<string, number>();
  const left = new Map<string, { at: number; message: Leaving }>();
  messages.forEach((m, i) => {
    const id = callIdOf(m);
    latest.set(id, i);
    if (isLeaving(m)) left.set(id, { at: i, message: m });
  });
  const kept: { at: number; message: DigestedMessage }[] = [];
  for (const [id, at] of latest) {
    const message = messages[at]!;
    if (isPending(id)) {
      // A pending call's latest message carries its view (new_call or call_updated).
      if (message.type !== "new_call" && message.type !== "call_updated") continue;
      kept.push({ at, message: listed(id) ? message : { type: "new_call", call: message.call } });
    } else if (listed(id) && left.has(id)) {
      kept.push(left.get(id)!);
    }
  }
  return kept.sort((a, b) => a.at - b.at).map((k) => k.message);
}

/** What an agent's socket receives for one digest: nothing, the one message, or a `queue_digest`
 * frame holding them in order, so a digest costs each socket one frame whatever the call rate. */
export function agentsFrame(
  messages: DigestedMessage[],
  summary: Extract<StaffServerMessage, { type: "queue_update" }> | null,
): StaffServerMessage | null {
  const all = summary ? [...messages, summary] : messages;
  if (all.length === 0) return null;
  return all.length === 1 ? all[0]! : { type: "queue_digest", messages: all };
}

/** `queue_update` when the summary moved since `lastSent` (its longest wait grows by itself and
 * is not news on its own); null otherwise. */
export function queueUpdate(
  state: QueueState,
  now: number,
  lastSent: QueueSummary | null,
): Extract<StaffServerMessage, { type: "queue_update" }> | null {
  const summary = queueSummary(state, now);
  const same =
    lastSent !== null &&
    lastSent.total_pending === summary.total_pending &&
    Object.entries(summary.by_priority).every(([k, v]) => lastSent.by_priority[k as keyof QueueSummary["by_priority"]] === v);
  return same ? null : { type: "queue_update", ...summary };
}

/** What a customer's place is keyed by: a change to any part is worth a position_update. */
export type PlaceKey = string;

/** Position updates for every waiting customer whose place, estimate or priority moved since
 * `sent` (the keys last sent); returns them with the keys as they now stand. */
export function placeUpdates(
  state: QueueState,
  now: number,
  sent: ReadonlyMap<string, PlaceKey>,
): { updates: { callId: string; message: WaitingRoomMessage }[]; keys: Map<string, PlaceKey> } {
  const keys = new Map<string, PlaceKey>();
  const updates: { callId: string; message: WaitingRoomMessage }[] = [];
  for (const [callId, p] of queuePositions(state, now)) {
    const priority = wordOf(state.calls.get(callId)!.priority);
    const key = `${p.position}:${p.estimatedWaitSeconds}:${priority}`;
    keys.set(callId, key);
    if (sent.get(callId) === key) continue;
    updates.push({
      callId,
      message: { type: "position_update", position_in_queue: p.position, estimated_wait_seconds: p.estimatedWaitSeconds, priority },
    });
  }
  return { updates, keys };
}
