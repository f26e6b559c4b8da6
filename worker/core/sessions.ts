// Whether a verified token still opens a session, from what D1 holds about its account. Pure:
// the shell (worker/auth/sessions.ts) reads the row and turns a refusal into a 401.

export type AccountSessionFacts = { disabledAt: number | null; tokenEpoch: number; revoked: boolean } | null;

/** Why the token is refused, or null when its session is live. */
export function sessionRefusal(account: AccountSessionFacts, token: { epoch: number }): string | null {
  if (!account) return "The token's user no longer exists.";
  if (account.disabledAt !== null) return "This account is disabled.";
  // Signed out, or issued before the account was disabled (the epoch moved on since).
  if (account.revoked || account.tokenEpoch !== token.epoch) return "The token was revoked; log in again.";
  return null;
}
