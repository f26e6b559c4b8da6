// The staff socket as a live queue for the agent desk and the manager page.
import { useState } from "preact/hooks";
import "./zod-config.ts";
import { StaffServerMessage } from "../../../worker/schemas/messages.ts";
import { useSession } from "./session.ts";
import { useLiveSocket, type SocketState } from "./socket.ts";
import { applyStaffMessage, emptyStaffQueue, type StaffQueue } from "./staff-queue.ts";

export const STAFF_SOCKET_PATH = "/api/v1/video-calls/ws";

/**
 * The live queue and the socket's state; `update` applies a local change (e.g. after an HTTP
 * answer) before the socket confirms it. `onMessage` sees every message, for side effects.
 */
export function useStaffQueue(onMessage?: (message: StaffServerMessage) => void): {
  queue: StaffQueue;
  socket: SocketState;
  update: (change: (queue: StaffQueue) => StaffQueue) => void;
} {
  const me = useSession()?.user.id ?? "";
  const [queue, setQueue] = useState<StaffQueue>(emptyStaffQueue);
  const state = useLiveSocket(STAFF_SOCKET_PATH, StaffServerMessage, (message) => {
    setQueue((q) => applyStaffMessage(message.type === "connected" ? { ...q, synced: false } : q, message, me));
    onMessage?.(message);
  });
  return { queue, socket: state, update: setQueue };
}
