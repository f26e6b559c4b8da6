// Sign-in; each role lands on its own page (or on the page that sent them here).
import { useEffect, useState } from "preact/hooks";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { api } from "../lib/api.ts";
import { useLocation } from "preact-iso";
import { afterLogin } from "../lib/route-decision.ts";
import { setSession, type Session } from "../lib/session.ts";

export function Login() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { query, route } = useLocation();

  useEffect(() => {
    document.title = "Sign in · VerifyID";
  }, []);

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
      <h1>Sign in</h1>
      <form onSubmit={submit}>
        <label for="login-email">Email</label>
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
        <label for="login-password">Password</label>
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
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p class="hint">Local demo: customer1@demo.test, agent1@demo.test or manager@demo.test, password demo-password.</p>
    </section>
  );
}
