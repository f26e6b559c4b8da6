// How routes reach the tenant's QueueCoordinator, and how its error values become API errors.
import type { QueueResult } from "../../durable-objects/queue-coordinator/index.ts";
import { ApiError } from "../http/errors.ts";

/** The coordinator that owns `tenantId`'s queue. */
export function coordinatorFor(env: Env, tenantId: string) {
  return env.QUEUE_COORDINATOR.getByName(tenantId);
}

/** The presence object of one agent. */
export function presenceFor(env: Env, tenantId: string, agentId: string) {
  return env.AGENT_PRESENCE.getByName(`${tenantId}:${agentId}`);
}

/** The value of a coordinator result, or the matching API error. */
export function unwrap<T>(result: QueueResult<T>): T {
  if (result.ok) return result.value;
  const { status, code, message, details } = result.error;
  throw new ApiError(status, code, message, details);
}
