// The end of a hosted journey: the client app that sent the customer gets them back
// (its redirect_url), after a few seconds to read the result, or at once with the button.
import { useEffect, useState } from "preact/hooks";
import { returnUrl } from "../../lib/hosted-session.ts";
import { useI18n } from "../../lib/i18n.ts";

const SECONDS = 8;

export function ReturnToApp() {
  const { t } = useI18n();
  const url = returnUrl();
  const [left, setLeft] = useState(SECONDS);
  useEffect(() => {
    if (!url) return;
    const timer = setInterval(() => setLeft((s) => s - 1), 1000);
    return () => clearInterval(timer);
  }, [url]);
  useEffect(() => {
    if (url && left <= 0) location.assign(url);
  }, [url, left]);
  if (!url) return null;
  const host = new URL(url).host;
  return (
    <section class="panel center" data-testid="return-to-app">
      <a class="button primary big" href={url}>
        {t.backTo(host)}
      </a>
      <p class="muted" aria-live="polite">
        {t.returningIn(Math.max(0, left))}
      </p>
    </section>
  );
}
