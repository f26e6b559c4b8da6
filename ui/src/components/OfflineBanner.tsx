// Says so while the browser is offline: uploads, the queue and the call cannot go on without a
// connection, and the page picks up by itself when it is back (the sockets reconnect on
// "online"; the server keeps the customer's place and progress).
import { useEffect, useState } from "preact/hooks";
import { useI18n } from "../lib/i18n.ts";

export function OfflineBanner() {
  const { t } = useI18n();
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    addEventListener("online", update);
    addEventListener("offline", update);
    return () => {
      removeEventListener("online", update);
      removeEventListener("offline", update);
    };
  }, []);
  // The live region stays in the page so that screen readers announce the text when it appears.
  return (
    <div class={online ? "offline-banner empty" : "offline-banner"} role="status" data-testid="offline-banner" data-online={online}>
      {online ? null : t.offline}
    </div>
  );
}
