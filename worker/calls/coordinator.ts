// How routes reach the tenant's QueueCoordinator, and how its error values become API errors.

/** The coordinator that owns `tenantId`'s queue. */
export function coordinatorFor(env: Env, tenantId: string) {
  return env.QUEUE_COORDINATOR.getByName(tenantId);
}

/** The presence object of one agent. */
export function presenceFor(env: Env, tenantId: string, agentId: string) {
  return env.AGENT_PRESENCE.getByName(`${tenantId}:${agentId}`);
}

export { unwrap } from "../http/errors.ts";
