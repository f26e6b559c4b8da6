import { useI18n } from "../lib/i18n.ts";
import type { SocketState } from "../lib/socket.ts";

const LABEL = { connecting: "socketConnecting", open: "socketOpen", reconnecting: "socketReconnecting", closed: "socketClosed" } as const;

/** Whether live updates are flowing. */
export function ConnectionPill({ state }: { state: SocketState }) {
  const { t } = useI18n();
  return (
    <span class={`pill ${state}`} role="status" data-socket-state={state}>
      <span class="dot" aria-hidden="true" />
      {t[LABEL[state]]}
    </span>
  );
}
