// The upgrade protocol between the Worker and the Durable Objects that hold sockets: the Worker
// authenticates the upgrade, then forwards it with who the caller is and which session (token)
// they used, in headers that only it can set (it builds the object's request itself).
import type { DashboardStream } from "../schemas/messages.ts";

/** Internal headers the Worker sets after authenticating an upgrade; clients cannot set them
 * because the Worker builds the Durable Object request itself. */
export const PRINCIPAL_HEADER = "X-VerifyID-Principal";

/** The session (token) an upgrade was authenticated with, set by the Worker like the principal. */
export const SESSION_HEADER = "X-VerifyID-Session";
export type SocketSession = { id: string; userId: string; expiresAt: number };

/** Close code for a socket whose token expired or was revoked (the UI signs out on it). */
export const SESSION_ENDED = 4001;
export type SessionEndReason = "token_expired" | "token_revoked";

/** Who opened a socket; set by the Worker after it verified the token. */
export type SocketPrincipal = {
  kind: "staff" | "waiting-room" | "dashboard";
  tenantId: string;
  userId: string;
  name: string;
  role: string;
  /** video_calls.manage or .analytics: hears agent status changes. */
  manager: boolean;
  /** video_calls.accept: may accept, reject and send heartbeats. */
  canAccept: boolean;
  callId?: string;
  /** Dashboards: the streams this socket hears, and the period of its metrics. */
  streams?: DashboardStream[];
  hours?: number;
};
