// DirectCallDesk: one per tenant. Owns direct voice calls (seed 003) and the call presence
// of the tenant's users. Being the single writer makes "of simultaneous calls to one callee
// the first wins" hold by construction. Calls reach D1 (and finished ones the audit log)
// through the outbox; an alarm turns unanswered calls into missed calls.
import { fail, type Result } from "../worker/core/result.ts";
import { DurableObject } from "cloudflare:workers";
import { directCallRecord, newSalt } from "../worker/audit/records.ts";
import { auditRow } from "../worker/audit/producer.ts";
import { configFrom } from "../worker/config.ts";
import {
  callDeadline,
  callDuration,
  endsCall,
  LIVE_STATUSES,
  MISSED_STATUSES,
  NOWHERE,
  placeCall,
  transition,
  userStatus,
  type CallAction,
  type DirectCall,
  type Elsewhere,
  type ManualStatus,
  type DeskPresence,
  type UserStatus,
} from "../worker/core/direct-calls.ts";
import { iso, newId } from "../worker/ids.ts";
import type { D1Op } from "../worker/outbox/ops.ts";
import type { DirectCallEvent, DirectCallView } from "../worker/schemas/messages.ts";
import { Outbox } from "./shared/outbox.ts";
import {
  acceptSocket,
  closeExpiredSockets,
  closeSessionSockets,
  MAX_CONTROL_FRAME_BYTES,
  nextSocketExpiry,
  parseFrame,
  refusedFrame,
  sendTo,
  sendToTag,
} from "./shared/sockets.ts";
import type { SessionEndReason } from "../worker/sockets/protocol.ts";
import { AlarmClock, answerClose, upgradePrincipal } from "./shared/lifecycle.ts";

export type DeskUser = { id: string; name: string };
export type DeskResult<T> = Result<T>;
export type UserState = { user_id: string; status: UserStatus; last_seen: string | null };
export type DeskPrincipal = { userId: string; name: string; tenantId: string };

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS presence (user_id TEXT PRIMARY KEY, data TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS calls (id TEXT PRIMARY KEY, caller_id TEXT NOT NULL, callee_id TEXT NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL, data TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS calls_callee ON calls (callee_id, created_at);
  CREATE INDEX IF NOT EXISTS calls_caller ON calls (caller_id, created_at);
  CREATE TABLE IF NOT EXISTS signals (seq INTEGER PRIMARY KEY AUTOINCREMENT, call_id TEXT NOT NULL, to_user TEXT NOT NULL, payload TEXT NOT NULL, created_at INTEGER NOT NULL);
`;

/** Polling signals live this long; a negotiation takes seconds. */
const SIGNAL_TTL_MS = 2 * 60_000;
/** Unread signals one side may queue for the other (ICE candidates come in tens, not hundreds). */
const MAX_WAITING_SIGNALS = 200;

export function directCallView(call: DirectCall): DirectCallView {
  return {
    call_id: call.id,
    caller_id: call.callerId,
    caller_name: call.callerName,
    callee_id: call.calleeId,
    callee_name: call.calleeName,
    status: call.status,
    session_id: call.sessionId,
    created_at: iso(call.createdAt)!,
    answered_at: iso(call.answeredAt),
    ended_at: iso(call.endedAt),
    duration_seconds: callDuration(call),
    end_reason: call.endReason,
    seen: call.seenAt !== null,
  };
}

export class DirectCallDesk extends DurableObject<Env> {
  private readonly alarmClock = new AlarmClock(this.ctx);
  private readonly sql: SqlStorage;
  private readonly outbox: Outbox;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
    this.outbox = new Outbox(this.sql);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
  }

  private settings() {
    const { directCalls } = configFrom(this.env);
    return {
      ringMs: directCalls.ringSeconds * 1000,
      offlineMs: directCalls.offlineAfterSeconds * 1000,
      maxCallMs: directCalls.maxMinutes * 60_000,
    };
  }

  // ---- storage ----------------------------------------------------------------------------

  private presence(userId: string): DeskPresence | undefined {
    const row = this.sql.exec<{ data: string }>("SELECT data FROM presence WHERE user_id = ?", userId).toArray()[0];
    return row ? (JSON.parse(row.data) as DeskPresence) : undefined;
  }

  private savePresence(p: DeskPresence) {
    this.sql.exec("INSERT OR REPLACE INTO presence (user_id, data) VALUES (?, ?)", p.userId, JSON.stringify(p));
  }

  private call(id: string): DirectCall | undefined {
    const row = this.sql.exec<{ data: string }>("SELECT data FROM calls WHERE id = ?", id).toArray()[0];
    return row ? (JSON.parse(row.data) as DirectCall) : undefined;
  }

  private liveCallOf(userId: string): DirectCall | undefined {
    const row = this.sql
      .exec<{ data: string }>(
        "SELECT data FROM calls WHERE (caller_id = ?1 OR callee_id = ?1) AND status IN ('ringing', 'answered') LIMIT 1",
        userId,
      )
      .toArray()[0];
    return row ? (JSON.parse(row.data) as DirectCall) : undefined;
  }

  /** Stores a call and its D1 record; a call that just ended also gets its audit record. */
  private saveCall(call: DirectCall) {
    const before = this.call(call.id);
    this.sql.exec(
      "INSERT OR REPLACE INTO calls (id, caller_id, callee_id, status, created_at, data) VALUES (?, ?, ?, ?, ?, ?)",
      call.id,
      call.callerId,
      call.calleeId,
      call.status,
      call.createdAt,
      JSON.stringify(call),
    );
    const ops: D1Op[] = [
      {
        op: "direct_call_upsert",
        row: {
          id: call.id,
          tenant_id: call.tenantId,
          caller_id: call.callerId,
          callee_id: call.calleeId,
          status: call.status,
          session_id: call.sessionId,
          created_at: call.createdAt,
          answered_at: call.answeredAt,
          ended_at: call.endedAt,
          duration_seconds: callDuration(call),
          end_reason: call.endReason,
          seen_at: call.seenAt,
        },
      },
    ];
    if (endsCall(before, call)) {
      const record = directCallRecord({
        tenantId: call.tenantId,
        callId: call.id,
        callerId: call.callerId,
        calleeId: call.calleeId,
        outcome: call.status,
        startedAt: iso(call.createdAt)!,
        endedAt: iso(call.endedAt ?? call.createdAt)!,
        durationSeconds: callDuration(call),
        salt: newSalt(),
      });
      ops.push({ op: "audit_insert", row: auditRow(record, Date.now()) });
    }
    this.outbox.add(ops);
  }

  private notify(userId: string, event: DirectCallEvent) {
    sendToTag(this.ctx, `user:${userId}`, event);
  }

  private async afterChange() {
    await this.outbox.flush(this.env);
    await this.scheduleAlarm();
  }

  private liveCalls(): DirectCall[] {
    return this.sql
      .exec<{ data: string }>("SELECT data FROM calls WHERE status IN ('ringing', 'answered')")
      .toArray()
      .map((r) => JSON.parse(r.data) as DirectCall);
  }

  private async scheduleAlarm() {
    const { maxCallMs } = this.settings();
    const deadline = this.liveCalls().reduce((min, c) => Math.min(min, callDeadline(c, maxCallMs) ?? Infinity), Infinity);
    await this.alarmClock.setEarliest(deadline, this.outbox.retryAt(), nextSocketExpiry(this.ctx));
  }

  /** `elsewhere` is what the caller knows from outside this desk (the video desk); an open event
   * socket here also counts as present: being connected is being present. */
  private statusOf(userId: string, elsewhere: Elsewhere = NOWHERE): UserStatus {
    const socketOpen = this.ctx.getWebSockets(`user:${userId}`).length > 0;
    const where = { ...elsewhere, present: elsewhere.present || socketOpen };
    return userStatus(this.presence(userId), this.liveCallOf(userId), where, Date.now(), this.settings().offlineMs);
  }

  // ---- presence ---------------------------------------------------------------------------

  /** A heartbeat: the user is reachable for the next OFFLINE seconds. */
  async heartbeat(user: DeskUser): Promise<UserState> {
    const current = this.presence(user.id);
    this.savePresence({ userId: user.id, name: user.name, lastSeen: Date.now(), manualStatus: current?.manualStatus ?? null });
    return this.userState(user.id);
  }

  /** The user chooses to be online, busy or offline (a heartbeat is implied). */
  async setStatus(user: DeskUser, status: ManualStatus): Promise<UserState> {
    this.savePresence({ userId: user.id, name: user.name, lastSeen: Date.now(), manualStatus: status === "online" ? null : status });
    return this.userState(user.id);
  }

  async userState(userId: string, elsewhere: Elsewhere = NOWHERE): Promise<UserState> {
    return { user_id: userId, status: this.statusOf(userId, elsewhere), last_seen: iso(this.presence(userId)?.lastSeen) };
  }

  // ---- calls ------------------------------------------------------------------------------

  /** Places a call. It rings only a reachable callee; busy and offline become missed calls at once. */
  async initiate(input: {
    tenantId: string;
    caller: DeskUser;
    callee: DeskUser;
    /** The callee's video desk: present there, or busy in a video call. */
    calleeElsewhere: Elsewhere;
  }): Promise<DeskResult<DirectCallView>> {
    const { caller, callee } = input;
    if (caller.id === callee.id) return fail(409, "cannot_call_yourself", "You cannot call yourself.");
    if (this.liveCallOf(caller.id)) return fail(409, "already_in_call", "Finish your current call first.");
    const now = Date.now();
    const call = placeCall({
      ids: { call: newId(now), session: newId(now) },
      tenantId: input.tenantId,
      caller,
      callee,
      calleeStatus: this.statusOf(callee.id, input.calleeElsewhere),
      now,
      ringMs: this.settings().ringMs,
    });
    const ringing = call.status === "ringing";
    this.ctx.storage.transactionSync(() => this.saveCall(call));
    // The ring timeout is set before anything else can fail, so a call never rings forever.
    await this.scheduleAlarm();
    if (ringing) {
      await this.env.CALL_ROOM.getByName(call.sessionId!).open({
        sessionId: call.sessionId!,
        tenantId: input.tenantId,
        kind: "direct",
        callId: call.id,
        participants: [
          { user_id: caller.id, role: "caller", name: caller.name },
          { user_id: callee.id, role: "callee", name: callee.name },
        ],
      });
      this.notify(callee.id, { type: "incoming_call", call: directCallView(call) });
    } else {
      this.notify(callee.id, { type: "call_missed", call: directCallView(call) });
    }
    this.ctx.waitUntil(this.afterChange());
    return { ok: true, value: directCallView(call) };
  }

  /** Answer, reject or hang up, by one of the call's two people. */
  async act(callId: string, action: Exclude<CallAction, "timeout">, actorId: string): Promise<DeskResult<DirectCallView>> {
    const call = this.call(callId);
    if (!call || (call.callerId !== actorId && call.calleeId !== actorId)) return fail(404, "not_found", "Call was not found.");
    return this.apply(call, action, actorId);
  }

  private async apply(call: DirectCall, action: CallAction, actorId: string, now = Date.now()): Promise<DeskResult<DirectCallView>> {
    const t = transition(call, action, actorId, now, this.settings().maxCallMs);
    if (!t.ok) return fail(t.status, t.code, t.message);
    this.ctx.storage.transactionSync(() => this.saveCall(t.call));
    const view = directCallView(t.call);
    this.notify(t.call.callerId, { type: t.event, call: view });
    this.notify(t.call.calleeId, { type: t.event, call: view });
    if (t.event !== "call_answered" && t.call.sessionId) {
      this.ctx.waitUntil(
        this.env.CALL_ROOM.getByName(t.call.sessionId)
          .end(t.call.endReason ?? t.call.status)
          .then(() => undefined),
      );
    }
    this.ctx.waitUntil(this.afterChange());
    return { ok: true, value: view };
  }

  /** Unanswered calls become missed calls when their ring time runs out; answered calls left
   * open too long are ended. */
  override async alarm() {
    await this.runDue(this.alarmClock.firedAt());
  }

  /** The minute cron: catch up on anything due (and the outbox) even if an alarm was missed. */
  async sweep(): Promise<void> {
    await this.runDue(Date.now());
  }

  /** Closes a session's sockets (sign-out) or a user's (account disabled); names the room of the
   * user's live call so the caller closes that too. */
  async closeSockets(
    match: { userId: string; sessionId?: string },
    reason: SessionEndReason,
  ): Promise<{ closed: number; roomSessions: string[] }> {
    const closed = closeSessionSockets(this.ctx, match, reason);
    const live = this.liveCallOf(match.userId);
    return { closed, roomSessions: live?.sessionId ? [live.sessionId] : [] };
  }

  private async runDue(now: number) {
    closeExpiredSockets(this.ctx, now);
    this.dropExpiredSignals(now);
    const { maxCallMs } = this.settings();
    for (const call of this.liveCalls()) {
      const due = callDeadline(call, maxCallMs);
      if (due !== null && due <= now) await this.apply(call, "timeout", "system", now);
    }
    await this.afterChange();
  }

  /** One call, for its participants. */
  async get(callId: string, userId: string): Promise<DirectCallView | null> {
    const call = this.call(callId);
    return call && (call.callerId === userId || call.calleeId === userId) ? directCallView(call) : null;
  }

  /** Calls that rang for `userId` and that they did not take, newest first. */
  async missed(userId: string, limit = 100): Promise<{ items: DirectCallView[]; unseen: number }> {
    const statuses = [...MISSED_STATUSES];
    const rows = this.sql
      .exec<{ data: string }>(
        `SELECT data FROM calls WHERE callee_id = ? AND status IN (${statuses.map(() => "?").join(",")}) ORDER BY created_at DESC LIMIT ?`,
        userId,
        ...statuses,
        limit,
      )
      .toArray()
      .map((r) => directCallView(JSON.parse(r.data) as DirectCall));
    return { items: rows, unseen: rows.filter((c) => !c.seen).length };
  }

  /** Marks a missed call seen by its callee. */
  async markSeen(callId: string, userId: string): Promise<DeskResult<DirectCallView>> {
    const call = this.call(callId);
    if (!call || call.calleeId !== userId) return fail(404, "not_found", "Missed call was not found.");
    if (!MISSED_STATUSES.has(call.status)) return fail(409, "not_a_missed_call", `The call was ${call.status}.`);
    if (call.seenAt === null) {
      const seen = { ...call, seenAt: Date.now() };
      this.ctx.storage.transactionSync(() => this.saveCall(seen));
      this.ctx.waitUntil(this.afterChange());
      return { ok: true, value: directCallView(seen) };
    }
    return { ok: true, value: directCallView(call) };
  }

  /** `userId`'s calls, or only those with `withUserId`, newest first. */
  async history(userId: string, withUserId: string | undefined, limit: number): Promise<DirectCallView[]> {
    const rows = withUserId
      ? this.sql.exec<{ data: string }>(
          "SELECT data FROM calls WHERE (caller_id = ?1 AND callee_id = ?2) OR (caller_id = ?2 AND callee_id = ?1) ORDER BY created_at DESC LIMIT ?3",
          userId,
          withUserId,
          limit,
        )
      : this.sql.exec<{ data: string }>(
          "SELECT data FROM calls WHERE caller_id = ?1 OR callee_id = ?1 ORDER BY created_at DESC LIMIT ?2",
          userId,
          limit,
        );
    return rows.toArray().map((r) => directCallView(JSON.parse(r.data) as DirectCall));
  }

  // ---- signalling fallback (polling) -------------------------------------------------------

  /** Stores a signal for the other participant (and pushes it on their socket, if any). */
  async signal(callId: string, fromId: string, payload: Record<string, unknown>): Promise<DeskResult<{ queued: true }>> {
    const call = this.call(callId);
    if (!call || (call.callerId !== fromId && call.calleeId !== fromId)) return fail(404, "not_found", "Call was not found.");
    if (!LIVE_STATUSES.has(call.status)) return fail(409, "call_over", `The call is ${call.status}.`);
    const to = call.callerId === fromId ? call.calleeId : call.callerId;
    this.dropExpiredSignals(Date.now());
    const waiting = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM signals WHERE call_id = ? AND to_user = ?", callId, to).one().n;
    if (waiting >= MAX_WAITING_SIGNALS)
      return fail(409, "too_many_signals", `At most ${MAX_WAITING_SIGNALS} signals wait for the other side; poll them first.`);
    this.sql.exec(
      "INSERT INTO signals (call_id, to_user, payload, created_at) VALUES (?, ?, ?, ?)",
      callId,
      to,
      JSON.stringify(payload),
      Date.now(),
    );
    this.notify(to, { type: "signal", call_id: callId, signal: payload });
    return { ok: true, value: { queued: true } };
  }

  /** Signals (JSON text) waiting for `userId` on a call; each is delivered once. */
  async takeSignals(callId: string, userId: string): Promise<DeskResult<string[]>> {
    const call = this.call(callId);
    if (!call || (call.callerId !== userId && call.calleeId !== userId)) return fail(404, "not_found", "Call was not found.");
    this.dropExpiredSignals(Date.now());
    const rows = this.sql
      .exec<{ seq: number; payload: string }>(
        "SELECT seq, payload FROM signals WHERE call_id = ? AND to_user = ? ORDER BY seq",
        callId,
        userId,
      )
      .toArray();
    if (rows.length) this.sql.exec("DELETE FROM signals WHERE call_id = ? AND to_user = ? AND seq <= ?", callId, userId, rows.at(-1)!.seq);
    return { ok: true, value: rows.map((r) => r.payload) };
  }

  /** A signal is only useful while the peers negotiate: past its TTL, or once its call ended,
   * it is dropped, so unread signals cannot pile up in the object's storage. */
  private dropExpiredSignals(now: number) {
    this.sql.exec(
      "DELETE FROM signals WHERE created_at < ? OR call_id NOT IN (SELECT id FROM calls WHERE status IN ('ringing', 'answered'))",
      now - SIGNAL_TTL_MS,
    );
  }

  /** Drains the outbox to D1 (tests call it to make the D1 record current). */
  async flushOutbox(): Promise<void> {
    await this.outbox.flush(this.env);
  }

  // ---- the user's event socket ------------------------------------------------------------

  override async fetch(request: Request): Promise<Response> {
    const principal = upgradePrincipal<DeskPrincipal>(request);
    if (!principal) return new Response("expected an authenticated WebSocket upgrade", { status: 400 });
    const { response, socket } = acceptSocket(this.ctx, request, [`user:${principal.userId}`], principal);
    // Being connected is being present.
    await this.heartbeat({ id: principal.userId, name: principal.name });
    sendTo(socket, { type: "connected", user_id: principal.userId, status: this.statusOf(principal.userId) } satisfies DirectCallEvent);
    const live = this.liveCallOf(principal.userId);
    if (live?.status === "ringing" && live.calleeId === principal.userId)
      sendTo(socket, { type: "incoming_call", call: directCallView(live) } satisfies DirectCallEvent);
    await this.scheduleAlarm();
    return response;
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    const refused = refusedFrame(message, MAX_CONTROL_FRAME_BYTES);
    if (refused) return sendTo(ws, refused satisfies DirectCallEvent);
    const principal = ws.deserializeAttachment() as DeskPrincipal;
    const frame = parseFrame(message) as { type?: unknown } | null;
    if (frame?.type === "ping") return sendTo(ws, { type: "pong" } satisfies DirectCallEvent);
    if (frame?.type === "heartbeat") {
      await this.heartbeat({ id: principal.userId, name: principal.name });
      return;
    }
    sendTo(ws, {
      type: "error",
      code: frame === null ? "invalid_json" : "unknown_message_type",
      message: "This socket takes ping and heartbeat.",
    } satisfies DirectCallEvent);
  }

  override async webSocketClose(ws: WebSocket, code: number) {
    answerClose(ws, code);
  }
}
