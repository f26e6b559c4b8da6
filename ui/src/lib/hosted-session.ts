// A client app's hosted verification link (README "For client apps"): `/customer#session=vss_…`.
// The page exchanges the link's token for a customer token that reaches that one verification
// (POST /api/v1/auth/session), drops the token from the address bar and history, and keeps the
// client app's redirect_url for the end of the journey. No account, no sign-in form.
import type { z } from "zod";
import type { SessionExchangeResponse } from "../../../worker/schemas/api-keys.ts";
import { api } from "./api.ts";
import { setSession } from "./session.ts";

const RETURN_KEY = "verifyid.return_url";

/** The link's token in a URL fragment (`#session=vss_…`), or null. Pure. */
export function sessionTokenFromHash(hash: string): string | null {
  const match = /(?:^#|&)session=(vss_[A-Za-z0-9._~-]+)/.exec(hash);
  return match ? match[1]! : null;
}

/** Exchanges the token in this page's fragment, if any; true when the page now has a session. */
export async function claimHostedSession(): Promise<boolean> {
  const token = sessionTokenFromHash(location.hash);
  if (!token) return false;
  // The fragment never reaches the server, but it stays in history and in a copied address.
  history.replaceState(history.state, "", location.pathname + location.search);
  const answer = await api<z.infer<typeof SessionExchangeResponse>>("/auth/session", { method: "POST", json: { session_token: token } });
  setSession({ token: answer.token, expires_at: answer.expires_at, user: answer.user });
  if (answer.redirect_url) sessionStorage.setItem(RETURN_KEY, answer.redirect_url);
  else sessionStorage.removeItem(RETURN_KEY);
  return true;
}

/** Where the client app wants its customer back once the journey ends (http(s) only), or null. */
export function returnUrl(): string | null {
  const url = sessionStorage.getItem(RETURN_KEY);
  return url && /^https?:\/\//.test(url) ? url : null;
}
