// Which call rooms a user is in: the sessions of their live calls, as agent or as customer.
// Closing a user's sockets (sign-out, a disabled account) closes these rooms' sockets too.
import type { QueueState } from "./types.ts";

export function roomSessionsOf(state: QueueState, userId: string): string[] {
  const sessions: string[] = [];
  for (const call of state.calls.values()) {
    if (call.sessionId && (call.assignedAgentId === userId || call.customerId === userId)) sessions.push(call.sessionId);
  }
  return sessions;
}
