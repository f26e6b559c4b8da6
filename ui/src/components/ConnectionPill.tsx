import type { SocketState } from "../lib/socket.ts";

const LABEL: Record<SocketState, string> = {
  connecting: "Connecting…",
  open: "Live",
  reconnecting: "Reconnecting…",
  closed: "Offline",
};

/** Whether live updates are flowing. */
export function ConnectionPill({ state }: { state: SocketState }) {
  return (
    <span class={`pill ${state}`} role="status" data-socket-state={state}>
      <span class="dot" aria-hidden="true" />
      {LABEL[state]}
    </span>
  );
}
