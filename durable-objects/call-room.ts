// CallRoom: one per session. WebRTC media flows browser to browser; the room only admits the
// session's two participants, relays their signalling frames verbatim, tells each when the
// other joins or leaves, and keeps the call's timeline. Sockets hibernate between frames.
import { DurableObject } from "cloudflare:workers";
import { iceServersFor } from "../worker/calls/ice.ts";
import { RoomClientMessage, type RoomParticipant, type RoomServerMessage } from "../worker/schemas/messages.ts";
import {
  acceptSocket,
  closeExpiredSockets,
  closeSessionSockets,
  nextSocketExpiry,
  parseFrame,
  refusedFrame,
  sendTo,
} from "./shared/sockets.ts";
import type { SessionEndReason } from "../worker/sockets/protocol.ts";
import { AlarmClock, answerClose, upgradePrincipal } from "./shared/lifecycle.ts";

export type RoomMember = { user_id: string; role: RoomParticipant["role"]; name: string };
export type RoomSetup = { sessionId: string; tenantId: string; kind: "video" | "direct"; callId: string; participants: RoomMember[] };
type TimelineEntry = { at: string; event: "joined" | "left" | "connected" | "hangup" | "ended"; user_id?: string };
type Room = RoomSetup & { status: "waiting" | "active" | "ended"; timeline: TimelineEntry[] };
export type RoomPrincipal = { userId: string; tenantId: string };
export type RoomSummary = { status: Room["status"]; timeline: TimelineEntry[]; connected: string[] };

const RELAYED = new Set(["offer", "answer", "ice_candidate"]);
const MAX_FRAME_BYTES = 64 * 1024;
const CLIENT_TYPES: ReadonlySet<string> = new Set(RoomClientMessage.options.map((o) => o.shape.type.value as string));

const json = (status: number, code: string, message: string) =>
  new Response(JSON.stringify({ error: { code, message } }), { status, headers: { "Content-Type": "application/json" } });

export class CallRoom extends DurableObject<Env> {
  private readonly alarmClock = new AlarmClock(this.ctx);
  private room: Room | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.room = (await ctx.storage.get<Room>("room")) ?? null;
    });
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
  }

  private async save() {
    await this.ctx.storage.put("room", this.room);
  }

  private record(event: TimelineEntry["event"], userId?: string) {
    this.room!.timeline.push({ at: new Date().toISOString(), event, ...(userId ? { user_id: userId } : {}) });
  }

  private connectedIds(): string[] {
    return this.room!.participants.filter((p) => this.ctx.getWebSockets(`user:${p.user_id}`).length > 0).map((p) => p.user_id);
  }

  private toOthers(userId: string, message: RoomServerMessage | string) {
    for (const p of this.room!.participants) {
      if (p.user_id === userId) continue;
      for (const ws of this.ctx.getWebSockets(`user:${p.user_id}`)) {
        try {
          ws.send(typeof message === "string" ? message : JSON.stringify(message));
        } catch {
          // Closed meanwhile.
        }
      }
    }
  }

  /** Sets the room up for a session (idempotent: a second call keeps what the first made). */
  async open(setup: RoomSetup): Promise<void> {
    if (this.room) return;
    this.room = { ...setup, status: "waiting", timeline: [] };
    await this.save();
  }

  /** Ends the call: both sides hear a hangup and the sockets close. */
  async end(reason: string): Promise<RoomSummary | null> {
    if (!this.room) return null;
    if (this.room.status !== "ended") {
      this.room.status = "ended";
      this.record("ended");
      await this.save();
      for (const ws of this.ctx.getWebSockets()) {
        sendTo(ws, { type: "hangup", user_id: "server", reason } satisfies RoomServerMessage);
        try {
          ws.close(1000, "call ended");
        } catch {
          // Already closed.
        }
      }
    }
    return this.summary();
  }

  /** Closes a session's sockets (sign-out) or a user's (account disabled). */
  async closeSockets(match: { userId: string; sessionId?: string }, reason: SessionEndReason): Promise<number> {
    return closeSessionSockets(this.ctx, match, reason);
  }

  /** The room's only alarm: the earliest token expiry of its sockets. */
  private async scheduleExpiry() {
    await this.alarmClock.setEarliest(nextSocketExpiry(this.ctx));
  }

  override async alarm() {
    closeExpiredSockets(this.ctx, this.alarmClock.firedAt());
    await this.scheduleExpiry();
  }

  /** Status, timeline and who is connected, for call summaries and tests. */
  async summary(): Promise<RoomSummary | null> {
    return this.room ? { status: this.room.status, timeline: this.room.timeline, connected: this.connectedIds() } : null;
  }

  override async fetch(request: Request): Promise<Response> {
    const principal = upgradePrincipal<RoomPrincipal>(request);
    if (!principal) return json(400, "bad_request", "expected an authenticated WebSocket upgrade");
    if (!this.room || this.room.tenantId !== principal.tenantId) return json(404, "not_found", "Call room was not found.");
    const me = this.room.participants.find((p) => p.user_id === principal.userId);
    if (!me) return json(403, "forbidden", "Only the two participants of this call can join its room.");
    if (this.room.status === "ended") return json(409, "call_ended", "This call has ended.");

    // A participant reconnecting replaces their old socket; the peer hears a join, not a leave.
    const previous = this.ctx.getWebSockets(`user:${me.user_id}`);
    const { response, socket } = acceptSocket(this.ctx, request, [`user:${me.user_id}`], me);
    for (const old of previous) {
      try {
        old.close(4000, "replaced by a new connection");
      } catch {
        // Already closed.
      }
    }
    this.record("joined", me.user_id);
    await this.save();
    await this.scheduleExpiry();
    const connected = new Set(this.connectedIds());
    sendTo(socket, {
      type: "room_state",
      session_id: this.room.sessionId,
      you: { ...me, connected: true },
      participants: this.room.participants.map((p) => ({ ...p, connected: connected.has(p.user_id) })),
      status: this.room.status,
      timeline: this.room.timeline,
      ice_servers: await iceServersFor(this.env, me.user_id),
    } satisfies RoomServerMessage);
    // Also after a rejoin: the other side's connection to the old page is dead, so it must offer again.
    this.toOthers(me.user_id, { type: "peer_joined", user_id: me.user_id, role: me.role, name: me.name });
    return response;
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    const me = ws.deserializeAttachment() as RoomMember;
    const refused = refusedFrame(message, MAX_FRAME_BYTES);
    if (refused) return sendTo(ws, refused satisfies RoomServerMessage);
    const frame = parseFrame(message);
    const parsed = RoomClientMessage.safeParse(frame);
    if (!parsed.success) {
      const type = typeof frame === "object" && frame && "type" in frame ? String((frame as { type: unknown }).type) : null;
      const code = frame === null ? "invalid_json" : type && CLIENT_TYPES.has(type) ? "invalid_message" : "unknown_message_type";
      return sendTo(ws, { type: "error", code, message: `Cannot handle this ${type ?? "frame"}.` } satisfies RoomServerMessage);
    }
    const msg = parsed.data;
    if (!this.room || this.room.status === "ended") {
      return sendTo(ws, { type: "error", code: "call_ended", message: "This call has ended." } satisfies RoomServerMessage);
    }
    if (RELAYED.has(msg.type)) {
      if (this.connectedIds().length < 2) {
        return sendTo(ws, {
          type: "error",
          code: "peer_not_connected",
          message: "The other participant is not in the room yet.",
        } satisfies RoomServerMessage);
      }
      // Verbatim: the peer receives exactly the frame that was sent.
      return this.toOthers(me.user_id, typeof message === "string" ? message : new TextDecoder().decode(message));
    }
    switch (msg.type) {
      case "ping":
        return sendTo(ws, { type: "pong" } satisfies RoomServerMessage);
      case "call_connected":
        if (!this.room.timeline.some((e) => e.event === "connected")) this.record("connected", me.user_id);
        this.room.status = "active";
        return this.save();
      case "hangup":
        this.record("hangup", me.user_id);
        await this.save();
        return this.toOthers(me.user_id, { type: "hangup", user_id: me.user_id, ...(msg.reason ? { reason: msg.reason } : {}) });
    }
  }

  override async webSocketClose(ws: WebSocket, code: number) {
    const me = ws.deserializeAttachment() as RoomMember;
    answerClose(ws, code);
    if (!this.room || code === 4000) return;
    const stillHere = this.ctx.getWebSockets(`user:${me.user_id}`).some((other) => other !== ws);
    if (stillHere) return;
    this.record("left", me.user_id);
    await this.save();
    this.toOthers(me.user_id, { type: "peer_left", user_id: me.user_id, role: me.role });
  }
}
