// Signing out: the server revokes the token, and this tab forgets it whatever the server
// answers (offline, slow, or an API without the logout route), so the user is never stuck
// signed in on a shared computer.
import { api } from "./api.ts";
import { navigate } from "./navigate.ts";
import { setSession } from "./session.ts";

/** How long sign-out waits for the server before forgetting the token anyway. */
const LOGOUT_TIMEOUT_MS = 5_000;

/** POST /auth/logout with the current token, then clear the session and go to /login. */
export async function signOut(): Promise<void> {
  try {
    await api("/auth/logout", { method: "POST", signal: AbortSignal.timeout(LOGOUT_TIMEOUT_MS) });
  } catch {
    // The token is dropped below; at worst it stays valid on the server until it expires.
  }
  setSession(null);
  navigate("/login");
}
