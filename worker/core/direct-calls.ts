// Direct voice calls (seed 003): who can be reached, and what answering, rejecting, hanging
// up or not answering does to a call. Pure; the tenant's DirectCallDesk applies it.
import { isSilent, type AgentFacts, type ReadinessFeatures } from "./readiness.ts";

/** How reachable a user is for direct calls (API.md), spelled once; the schema takes it from here. */
export const USER_STATUSES = ["online", "offline", "in_call", "busy"] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
export type ManualStatus = "online" | "busy" | "offline";
export type DirectCallStatus = "ringing" | "answered" | "ended" | "missed" | "rejected" | "busy" | "offline";

export type DeskPresence = { userId: string; name: string; lastSeen: number | null; manualStatus: ManualStatus | null };

export type DirectCall = {
  id: string;
  tenantId: string;
  callerId: string;
  calleeId: string;
  callerName: string;
  calleeName: string;
  status: DirectCallStatus;
  sessionId: string | null;
  createdAt: number;
  ringDeadline: number | null;
  answeredAt: number | null;
  endedAt: number | null;
  endReason: string | null;
  seenAt: number | null;
};

export const LIVE_STATUSES: ReadonlySet<DirectCallStatus> = new Set(["ringing", "answered"]);
/** What the callee sees as a missed call: nobody answered, or they could not be reached. */
export const MISSED_STATUSES: ReadonlySet<DirectCallStatus> = new Set(["missed", "busy", "offline"]);

/** What the rest of the system says about a user: present by other means than this desk's
 * heartbeat (an open socket, the video desk), and busy with something else (a video call). */
export type Elsewhere = { present: boolean; busy: boolean };
export const NOWHERE: Elsewhere = { present: false, busy: false };

/** An agent as the video desk's facts place them: present while a staff socket is open or their
 * heartbeat has not gone offline (the rule readiness uses; with heartbeats switched off nobody
 * notices silence, so a past beat proves nothing), busy while a video call is theirs. */
export function videoDeskPresence(facts: AgentFacts, socketOpen: boolean, features: ReadinessFeatures): Elsewhere {
  const beating = features.agentHeartbeat && !facts.presence.offline;
  return { present: socketOpen || beating, busy: facts.load.activeCalls > 0 };
}

/**
 * A user's reachability: offline by choice, or after `offlineAfterMs` without a heartbeat here
 * unless they are present elsewhere; in_call during an answered call; busy while ringing or
 * being rung, by choice, or while occupied elsewhere (an agent in a video call); online otherwise.
 */
export function userStatus(
  presence: DeskPresence | undefined,
  live: DirectCall | undefined,
  elsewhere: Elsewhere,
  now: number,
  offlineAfterMs: number,
): UserStatus {
  if (presence?.manualStatus === "offline") return "offline";
  if (isSilent(presence?.lastSeen ?? null, now, offlineAfterMs) && !elsewhere.present) return "offline";
  if (live?.status === "answered") return "in_call";
  if (live || presence?.manualStatus === "busy" || elsewhere.busy) return "busy";
  return "online";
}

/** Customers call the back office, not each other; staff may call anyone in the tenant. */
export function mayReach(caller: { id: string; staff: boolean }, target: { id: string; staff: boolean }): boolean {
  return caller.staff || target.staff || caller.id === target.id;
}

/** A call placed to a callee in `status`: it rings only when they are online. */
export function ringOutcome(status: UserStatus): "ringing" | "busy" | "offline" {
  if (status === "online") return "ringing";
  return status === "offline" ? "offline" : "busy";
}

/**
 * A call placed to a callee who is `calleeStatus`: ringing (with a session and a ring deadline)
 * when they are online, otherwise already over as busy or offline — a missed call for them.
 */
export function placeCall(input: {
  ids: { call: string; session: string };
  tenantId: string;
  caller: { id: string; name: string };
  callee: { id: string; name: string };
  calleeStatus: UserStatus;
  now: number;
  ringMs: number;
}): DirectCall {
  const outcome = ringOutcome(input.calleeStatus);
  const ringing = outcome === "ringing";
  return {
    id: input.ids.call,
    tenantId: input.tenantId,
    callerId: input.caller.id,
    calleeId: input.callee.id,
    callerName: input.caller.name,
    calleeName: input.callee.name,
    status: outcome,
    sessionId: ringing ? input.ids.session : null,
    createdAt: input.now,
    ringDeadline: ringing ? input.now + input.ringMs : null,
    answeredAt: null,
    endedAt: ringing ? null : input.now,
    endReason: ringing ? null : outcome,
    seenAt: null,
  };
}

export type CallAction = "answer" | "reject" | "hangup" | "timeout";
export type DirectCallStep =
  | { ok: true; call: DirectCall; event: "call_answered" | "call_rejected" | "call_missed" | "call_ended" }
  | { ok: false; status: 403 | 409; code: string; message: string };

const refuse = (status: 403 | 409, code: string, message: string): DirectCallStep => ({ ok: false, status, code, message });

/** When a live call falls due: a ringing call when nobody answered, an answered call when it
 * has gone on past `maxCallMs` (both browsers gone without hanging up leave it open). */
export function callDeadline(call: DirectCall, maxCallMs: number): number | null {
  if (call.status === "ringing") return call.ringDeadline;
  if (call.status === "answered" && call.answeredAt !== null) return call.answeredAt + maxCallMs;
  return null;
}

/** Whether saving `after` over `before` ends the call, which is when it gets its audit record. */
export function endsCall(before: DirectCall | undefined, after: DirectCall): boolean {
  return !LIVE_STATUSES.has(after.status) && (before === undefined || LIVE_STATUSES.has(before.status));
}

/** What `action` by `actorId` at `now` does to `call` (`maxCallMs` bounds an answered call). */
export function transition(call: DirectCall, action: CallAction, actorId: string, now: number, maxCallMs = Infinity): DirectCallStep {
  const isCaller = actorId === call.callerId;
  const isCallee = actorId === call.calleeId;
  if (action !== "timeout" && !isCaller && !isCallee) return refuse(403, "forbidden", "Only the two people on the call can do that.");
  const end = (status: DirectCallStatus, endReason: string, event: "call_rejected" | "call_missed" | "call_ended"): DirectCallStep => ({
    ok: true,
    call: { ...call, status, endReason, endedAt: now, ringDeadline: null },
    event,
  });
  switch (action) {
    case "answer":
      if (!isCallee) return refuse(403, "forbidden", "Only the person being called can answer.");
      if (call.status !== "ringing") return refuse(409, "call_not_ringing", `The call is ${call.status}.`);
      return { ok: true, call: { ...call, status: "answered", answeredAt: now, ringDeadline: null }, event: "call_answered" };
    case "reject":
      if (!isCallee) return refuse(403, "forbidden", "Only the person being called can reject.");
      if (call.status !== "ringing") return refuse(409, "call_not_ringing", `The call is ${call.status}.`);
      return end("rejected", "rejected", "call_rejected");
    case "hangup":
      if (call.status === "ringing")
        return isCaller ? end("missed", "caller_cancelled", "call_missed") : end("rejected", "rejected", "call_rejected");
      if (call.status === "answered") return end("ended", isCaller ? "caller_hung_up" : "callee_hung_up", "call_ended");
      return refuse(409, "call_over", `The call is already ${call.status}.`);
    case "timeout": {
      const due = callDeadline(call, maxCallMs);
      if (due === null || due > now) return refuse(409, "not_due", "The call is not due.");
      return call.status === "ringing" ? end("missed", "no_answer", "call_missed") : end("ended", "timeout", "call_ended");
    }
  }
}

/** Seconds a call lasted (answered to end), or null if it was never answered. */
export function callDuration(call: DirectCall): number | null {
  return call.answeredAt !== null && call.endedAt !== null ? Math.max(0, Math.round((call.endedAt - call.answeredAt) / 1000)) : null;
}
