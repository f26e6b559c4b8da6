// Who is calling: the verified claims of a session token.
import type { Role } from "./permissions.ts";

/** A user as a token names them. */
export type Identity = {
  userId: string;
  tenantId: string;
  role: Role;
  /** Display name, carried in the token so hot paths need no user lookup. */
  name: string;
  /** Set on a hosted session's customer token: the one verification it reaches (auth/api-keys.ts). */
  verificationId?: string;
};

/** An authenticated caller: the identity plus the session (token) it came with. */
export type Principal = Identity & {
  /** The token's `jti`: what sign-out revokes and what sockets are closed by. */
  sessionId: string;
  /** When the token expires (ms since the epoch); sockets are closed then. */
  expiresAt: number;
  /** The account's token epoch at issue; disabling the account moves it on. */
  epoch: number;
  /** Set when a client app's API key authenticated the request instead of a token: its scopes,
   * not the role, decide what it may call (auth/api-keys.ts). */
  apiKey?: { id: string; scopes: readonly string[] };
};
