// The signed-in user's token, kept in localStorage so a reload keeps the session.
import { useEffect, useState } from "preact/hooks";

export type SessionUser = { id: string; email: string; name: string; role: string; tenant_id: string };
export type Session = { token: string; user: SessionUser; expires_at: string };

const KEY = "verifyid.session";
const listeners = new Set<() => void>();

export function currentSession(): Session | null {
  const raw = localStorage.getItem(KEY);
  if (!raw) return null;
  try {
    const session = JSON.parse(raw) as Session;
    return Date.parse(session.expires_at) > Date.now() ? session : null;
  } catch {
    return null;
  }
}

export function setSession(session: Session | null) {
  if (session) localStorage.setItem(KEY, JSON.stringify(session));
  else localStorage.removeItem(KEY);
  listeners.forEach((l) => l());
}

/** Re-renders when the session changes (login, logout, expiry reported by the API). */
export function useSession(): Session | null {
  const [session, set] = useState(currentSession);
  useEffect(() => {
    const update = () => set(currentSession());
    listeners.add(update);
    return () => listeners.delete(update);
  }, []);
  return session;
}
