// Sign-in; each role lands on its own page (or on the page that sent them here).
import { useEffect, useState } from "preact/hooks";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { api } from "../lib/api.ts";
import { useLocation } from "preact-iso";
import { useI18n } from "../lib/i18n.ts";
import { afterLogin } from "../lib/route-decision.ts";
import { setSession, type Session } from "../lib/session.ts";

export function Login() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { query, route } = useLocation();
  const { t } = useI18n();

  useEffect(() => {
    document.title = t.signInTitle;
  }, [t]);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await api<Session>("/auth/login", { method: "POST", json: { email, password } });
      setSession(session);
      route(afterLogin(session.user.role, query.next ?? null), true);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <section class="panel login">
      <h1>{t.signIn}</h1>
      <form onSubmit={submit}>
        <label for="login-email">{t.email}</label>
        <input
          id="login-email"
          name="email"
          type="email"
          inputMode="email"
          autocomplete="username"
          required
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        <label for="login-password">{t.password}</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <ErrorNote error={error} />
        <button type="submit" class="primary big" disabled={busy}>
          {busy ? t.signingIn : t.signIn}
        </button>
      </form>
      <p class="hint">{t.demoHint}</p>
    </section>
  );
}
