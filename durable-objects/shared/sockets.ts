// Hibernatable WebSocket plumbing shared by the Durable Objects: accepting an upgrade with
// tags and an attachment, and sending JSON to every socket with a tag. Per-connection state
// lives in the attachment so it survives hibernation.

/** Internal headers the Worker sets after authenticating an upgrade; clients cannot set them
 * because the Worker builds the Durable Object request itself. */
export const PRINCIPAL_HEADER = "X-VerifyID-Principal";

/** Accepts a WebSocket upgrade into `ctx` with `tags` and `attachment`. */
export function acceptSocket(
  ctx: DurableObjectState,
  request: Request,
  tags: string[],
  attachment: unknown,
): { response: Response; socket: WebSocket } {
  const pair = new WebSocketPair();
  const [client, server] = [pair[0], pair[1]];
  ctx.acceptWebSocket(server, tags);
  server.serializeAttachment(attachment);
  const headers = new Headers();
  // Browsers that offer subprotocols require one back; prefer a non-token one.
  const offered = request.headers.get("Sec-WebSocket-Protocol")?.split(",").map((p) => p.trim()).filter(Boolean) ?? [];
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

/** Parses a client frame as JSON; null when it is not JSON. */
export function parseFrame(message: string | ArrayBuffer): unknown {
  const text = typeof message === "string" ? message : new TextDecoder().decode(message);
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
