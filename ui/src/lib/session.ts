// The signed-in user's token, kept in this tab's sessionStorage: a reload keeps the session,
// closing the tab ends it, and other tabs (and the disk, for longer than the tab) never see it.
// Why not localStorage or a cookie: NOTES-token-storage.md.
import { useEffect, useState } from "preact/hooks";
import type { z } from "zod";
import type { LoginResponse } from "../../../worker/schemas/auth.ts";

/** What POST /auth/login answers, kept as is. */
export type Session = z.infer<typeof LoginResponse>;

const KEY = "verifyid.session";
const listeners = new Set<() => void>();

// Earlier builds kept the session in localStorage, where it outlived the tab: drop any such copy.
try {
  localStorage.removeItem(KEY);
} catch {
  // Storage disabled: there is nothing to drop.
}

export function currentSession(): Session | null {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  try {
    const session = JSON.parse(raw) as Session;
    return Date.parse(session.expires_at) > Date.now() ? session : null;
  } catch {
    return null;
  }
}

export function setSession(session: Session | null) {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
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
