// The statuses an agent can be in, spelled once: the queue core, readiness, the schemas and the
// dashboard all take them from here.
export const AGENT_STATUSES = ["online", "offline", "busy", "away"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];
