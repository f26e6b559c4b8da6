// Hibernatable WebSocket plumbing shared by the Durable Objects: accepting an upgrade with
// tags and an attachment, and sending JSON to every socket with a tag. Per-connection state
// lives in the attachment so it survives hibernation.

import { SESSION_ENDED, SESSION_HEADER, type SessionEndReason, type SocketSession } from "../../worker/sockets/protocol.ts";

const NEXT_EXPIRY = "sockets:next-expiry";
const EXPIRY_TAG = "exp:";

/** Tags that find a socket by session or user, and tell when its token expires, without
 * deserializing attachments. */
function sessionTags(session: SocketSession): string[] {
  return [`sid:${session.id}`, `uid:${session.userId}`, `${EXPIRY_TAG}${session.expiresAt}`];
}

function sessionFrom(request: Request): SocketSession | null {
  const raw = request.headers.get(SESSION_HEADER);
  return raw ? (JSON.parse(raw) as SocketSession) : null;
}

/** When the earliest token of this object's sockets expires; the object's alarm includes it. */
export function nextSocketExpiry(ctx: DurableObjectState): number | null {
  return ctx.storage.kv.get<number>(NEXT_EXPIRY) ?? null;
}

function closeEnded(ws: WebSocket, reason: SessionEndReason) {
  try {
    ws.close(SESSION_ENDED, reason);
  } catch {
    // Already closed.
  }
}

/** Closes every socket whose token expired by `now`; keeps the next expiry of the others. */
export function closeExpiredSockets(ctx: DurableObjectState, now: number): number {
  // Alarms fire for many deadlines (offers, ageing, outbox retries): walk the sockets only once
  // the earliest token expiry has come, not on every alarm.
  if ((nextSocketExpiry(ctx) ?? Infinity) > now) return 0;
  let closed = 0;
  let next = Infinity;
  for (const ws of ctx.getWebSockets()) {
    const tag = ctx.getTags(ws).find((t) => t.startsWith(EXPIRY_TAG));
    if (!tag) continue;
    const expiresAt = Number(tag.slice(EXPIRY_TAG.length));
    if (expiresAt <= now) {
      closeEnded(ws, "token_expired");
      closed++;
    } else next = Math.min(next, expiresAt);
  }
  if (next === Infinity) ctx.storage.kv.delete(NEXT_EXPIRY);
  else ctx.storage.kv.put(NEXT_EXPIRY, next);
  return closed;
}

/** Closes the sockets of one session (sign-out) or of every session of a user (disabled). */
export function closeSessionSockets(
  ctx: DurableObjectState,
  match: { userId: string; sessionId?: string | undefined },
  reason: SessionEndReason,
): number {
  const sockets = ctx.getWebSockets(match.sessionId ? `sid:${match.sessionId}` : `uid:${match.userId}`);
  for (const ws of sockets) closeEnded(ws, reason);
  return sockets.length;
}

/** Accepts a WebSocket upgrade into `ctx` with `tags` and `attachment`. A socket opened with a
 * session is tagged with it and counted in `nextSocketExpiry`, so the object can close it when
 * its token expires; the caller then (re)schedules its alarm. */
export function acceptSocket(
  ctx: DurableObjectState,
  request: Request,
  tags: string[],
  attachment: unknown,
): { response: Response; socket: WebSocket } {
  const pair = new WebSocketPair();
  const [client, server] = [pair[0], pair[1]];
  const session = sessionFrom(request);
  ctx.acceptWebSocket(server, session ? [...tags, ...sessionTags(session)] : tags);
  if (session) {
    const next = nextSocketExpiry(ctx);
    if (next === null || session.expiresAt < next) ctx.storage.kv.put(NEXT_EXPIRY, session.expiresAt);
  }
  server.serializeAttachment(attachment);
  const headers = new Headers();
  // Browsers that offer subprotocols require one back; prefer a non-token one.
  const offered =
    request.headers
      .get("Sec-WebSocket-Protocol")
      ?.split(",")
      .map((p) => p.trim())
      .filter(Boolean) ?? [];
  const chosen = offered.find((p) => !p.startsWith("bearer.")) ?? offered[0];
  if (chosen) headers.set("Sec-WebSocket-Protocol", chosen);
  return { response: new Response(null, { status: 101, webSocket: client, headers }), socket: server };
}

/** Sends `message` as JSON to every open socket tagged `tag`; closed sockets are skipped. */
export function sendToTag(ctx: DurableObjectState, tag: string, message: unknown): number {
  const text = JSON.stringify(message);
  let sent = 0;
  for (const ws of ctx.getWebSockets(tag)) {
    try {
      ws.send(text);
      sent++;
    } catch {
      // The socket closed between listing and sending; its close handler cleans up.
    }
  }
  return sent;
}

export function sendTo(ws: WebSocket, message: unknown) {
  try {
    ws.send(JSON.stringify(message));
  } catch {
    // Closed meanwhile.
  }
}

/** Why a client frame is refused before it is parsed: binary frames (every protocol here is
 * JSON text) and frames past `maxBytes`; null when the frame may be read. */
export function refusedFrame(message: string | ArrayBuffer, maxBytes: number): { type: "error"; code: string; message: string } | null {
  if (typeof message !== "string") return { type: "error", code: "binary_not_supported", message: "Send JSON text frames." };
  // UTF-16 length ≤ UTF-8 bytes ≤ 3 × length: only measure when it could matter.
  if (message.length * 3 > maxBytes && new TextEncoder().encode(message).length > maxBytes) {
    return { type: "error", code: "frame_too_large", message: `Frames are limited to ${Math.round(maxBytes / 1024)} KiB.` };
  }
  return null;
}

/** Control sockets (queue, waiting room, dashboard, direct calls) carry small commands. */
export const MAX_CONTROL_FRAME_BYTES = 16 * 1024;

/** Parses a client frame as JSON; null when it is not JSON. */
export function parseFrame(message: string | ArrayBuffer): unknown {
  const text = typeof message === "string" ? message : new TextDecoder().decode(message);
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
