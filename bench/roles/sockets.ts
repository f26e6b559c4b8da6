// JSON WebSockets for the client roles (Node 22's global WebSocket): open one, wait until the
// server has said hello, count what arrives.
import { now } from "../lib/clock.ts";

export type JsonSocket = {
  ws: WebSocket;
  send(message: unknown): void;
  close(): void;
  /** True once the socket closed without our asking. */
  dropped: boolean;
};

/** Opens `url` and resolves once `ready(message)` holds for an arriving message (e.g. initial_state). */
export function openJsonSocket(
  url: string,
  onMessage: (message: any, at: number) => void,
  ready: (message: any) => boolean,
  timeoutMs = 60_000,
): Promise<JsonSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let closing = false;
    let settled = false;
    const socket: JsonSocket = {
      ws,
      dropped: false,
      send: (message) => {
        if (ws.readyState === 1) ws.send(JSON.stringify(message));
      },
      close: () => {
        closing = true;
        try {
          ws.close(1000, "bench done");
        } catch {
          // Already closed.
        }
      },
    };
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      socket.close();
      reject(new Error(`no hello from ${url.replace(/token=[^&]+/, "token=…")} within ${timeoutMs} ms`));
    }, timeoutMs);
    ws.addEventListener("message", (event) => {
      const at = now();
      let message: any;
      try {
        message = JSON.parse(typeof event.data === "string" ? event.data : new TextDecoder().decode(event.data as ArrayBuffer));
      } catch {
        return;
      }
      onMessage(message, at);
      if (!settled && ready(message)) {
        settled = true;
        clearTimeout(timer);
        resolve(socket);
      }
    });
    ws.addEventListener("close", (event) => {
      if (!closing) socket.dropped = true;
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(new Error(`socket closed before its hello (${event.code} ${event.reason})`));
      }
    });
    ws.addEventListener("error", () => {
      // A close event follows; it settles the promise.
    });
  });
}
