// A JSON WebSocket to the API that stays up: it reconnects with capped, jittered backoff,
// pings so that idle proxies keep it open and dead links are noticed, and reconnects at once
// when the browser comes back online. Every frame is checked against the shared zod schema.
// The token travels in the Sec-WebSocket-Protocol header, never in the URL: URLs end up in
// proxy and server access logs, headers do not.
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "./api.ts";
import { currentSession, setSession } from "./session.ts";

export type SocketState = "connecting" | "open" | "reconnecting" | "closed";

type Schema<T> = { safeParse(data: unknown): { success: true; data: T } | { success: false } };

export type LiveSocketOptions<T> = {
  /** An API path such as `/api/v1/video-calls/ws`. */
  path: string;
  schema: Schema<T>;
  onMessage: (message: T) => void;
  onState?: (state: SocketState) => void;
  /** Whether a close with this code should be retried (default: always). */
  retryOnClose?: (code: number) => boolean;
};

export type LiveSocket = { send(message: object): boolean; close(): void };

const PING_SECONDS = 20;
const MAX_BACKOFF_MS = 15_000;

/** The subprotocol the server echoes back; it never echoes the bearer one. */
export const SOCKET_PROTOCOL = "verifyid.v1";

/** The server's close code for a token that expired or was revoked while the socket was open. */
export const CLOSE_TOKEN_INVALID = 4001;

/** ws(s)://host/path on this origin. */
export function socketUrl(path: string): string {
  const url = new URL(path, location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

/** The subprotocols to offer: ours, and the signed-in user's token as `bearer.<token>`. */
export function socketProtocols(): string[] {
  const token = currentSession()?.token;
  return token ? [SOCKET_PROTOCOL, `bearer.${token}`] : [SOCKET_PROTOCOL];
}

/** Opens the socket and keeps it open until `close()`. */
export function openLiveSocket<T>(options: LiveSocketOptions<T>): LiveSocket {
  let ws: WebSocket | null = null;
  let closed = false;
  let failures = 0;
  let lastFrameAt = Date.now();
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;

  const setState = (state: SocketState) => options.onState?.(state);

  function connect() {
    clearTimeout(retryTimer);
    if (closed) return;
    setState(failures === 0 ? "connecting" : "reconnecting");
    const socket = new WebSocket(socketUrl(options.path), socketProtocols());
    ws = socket;
    socket.onopen = () => {
      failures = 0;
      lastFrameAt = Date.now();
      setState("open");
    };
    socket.onmessage = (event) => {
      lastFrameAt = Date.now();
      let data: unknown;
      try {
        data = JSON.parse(String(event.data));
      } catch {
        return;
      }
      const parsed = options.schema.safeParse(data);
      if (parsed.success) options.onMessage(parsed.data);
      else console.warn("Ignoring a message this page does not understand", data);
    };
    socket.onclose = (event) => {
      if (ws !== socket) return;
      ws = null;
      if (event.code === CLOSE_TOKEN_INVALID) {
        // Retrying with the same token cannot succeed: the user is signed out, as on a 401
        // (the app then shows /login).
        closed = true;
        setState("closed");
        setSession(null);
        return;
      }
      if (closed || (options.retryOnClose && !options.retryOnClose(event.code))) {
        closed = true;
        setState("closed");
        return;
      }
      failures++;
      setState("reconnecting");
      // An upgrade refused for an expired token looks like any other failure: ask the API,
      // which signs the user out on 401 (and the page unmounts).
      if (failures === 3) void api("/auth/me").catch(() => undefined);
      const backoff = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(failures - 1, 5));
      retryTimer = setTimeout(connect, backoff / 2 + Math.random() * (backoff / 2));
    };
  }

  const reconnectNow = () => {
    if (closed) return;
    if (!ws || ws.readyState === WebSocket.CLOSED) connect();
  };

  pingTimer = setInterval(() => {
    if (ws?.readyState !== WebSocket.OPEN) return;
    // No frame (not even a pong) for two intervals: the link is dead even if TCP has not noticed.
    if (Date.now() - lastFrameAt > 2 * PING_SECONDS * 1000 + 5000) ws.close();
    else ws.send('{"type":"ping"}');
  }, PING_SECONDS * 1000);
  addEventListener("online", reconnectNow);
  connect();

  return {
    send(message) {
      if (ws?.readyState !== WebSocket.OPEN) return false;
      ws.send(JSON.stringify(message));
      return true;
    },
    close() {
      closed = true;
      clearTimeout(retryTimer);
      clearInterval(pingTimer);
      removeEventListener("online", reconnectNow);
      const socket = ws;
      ws = null;
      socket?.close(1000, "page closed");
      setState("closed");
    },
  };
}

/**
 * The state of the socket at `path` while the component is mounted (none while `path` is
 * null). `onMessage` may change between renders without reconnecting.
 */
export function useLiveSocket<T>(path: string | null, schema: Schema<T>, onMessage: (message: T) => void): SocketState {
  const [state, setState] = useState<SocketState>("connecting");
  const handler = useRef(onMessage);
  handler.current = onMessage;
  useEffect(() => {
    if (!path) return;
    const live = openLiveSocket({ path, schema, onMessage: (m) => handler.current(m), onState: setState });
    return () => live.close();
  }, [path, schema]);
  return state;
}
