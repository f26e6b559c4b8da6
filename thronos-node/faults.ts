// Faults the control server can inject into each local node, so that the client's timeouts,
// retries and fallbacks are tested against real HTTP failures rather than mocks.

export const NODE_ROLES = ["master", "replica", "ai_core"] as const;
export type NodeRole = (typeof NODE_ROLES)[number];

export const FAULT_MODES = ["ok", "error", "slow", "refuse", "syncing", "ai_unavailable"] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export type Fault = {
  mode: FaultMode;
  /** HTTP status answered in `error` mode. */
  status: number;
  /** Delay before answering in `slow` mode. */
  delay_ms: number;
  /** Requests left before the node heals by itself; null means until told otherwise. */
  remaining: number | null;
};

export type FaultRequest = { node: NodeRole; fault: Fault };

export const HEALTHY: Fault = { mode: "ok", status: 200, delay_ms: 0, remaining: null };

const MODES_FOR: Record<NodeRole, readonly FaultMode[]> = {
  master: ["ok", "error", "slow", "refuse", "syncing"],
  replica: ["ok", "error", "slow", "refuse", "syncing"],
  ai_core: ["ok", "error", "slow", "refuse", "ai_unavailable"],
};

const isWhole = (value: unknown, min: number, max: number): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;

/**
 * Reads `{node, mode, status?, delay_ms?, count?}` from the control API. Rejects combinations
 * that would silently do nothing (a syncing AI node, a counted refusal), so a test that asks for
 * a fault gets exactly that fault.
 */
export function parseFaultRequest(body: unknown): FaultRequest | { error: string } {
  if (typeof body !== "object" || body === null) return { error: "expected a JSON object" };
  const { node, mode, status, delay_ms, count } = body as Record<string, unknown>;
  if (!NODE_ROLES.includes(node as NodeRole)) return { error: `node must be one of ${NODE_ROLES.join(", ")}` };
  const role = node as NodeRole;
  if (!MODES_FOR[role].includes(mode as FaultMode)) return { error: `mode for ${role} must be one of ${MODES_FOR[role].join(", ")}` };
  if (status !== undefined && (mode !== "error" || !isWhole(status, 400, 599)))
    return { error: "status (400-599) applies to mode error only" };
  if (delay_ms !== undefined && (mode !== "slow" || !isWhole(delay_ms, 0, 120_000)))
    return { error: "delay_ms (0-120000) applies to mode slow only" };
  if (count !== undefined && (mode === "refuse" || mode === "ok" || !isWhole(count, 1, 1_000_000))) {
    return { error: "count (a positive whole number) applies to every mode but ok and refuse" };
  }
  return {
    node: role,
    fault: {
      mode: mode as FaultMode,
      status: mode === "error" ? ((status as number | undefined) ?? 503) : 200,
      delay_ms: mode === "slow" ? ((delay_ms as number | undefined) ?? 5000) : 0,
      remaining: (count as number | undefined) ?? null,
    },
  };
}

export type FaultBoard = {
  get(role: NodeRole): Fault;
  set(role: NodeRole, fault: Fault): void;
  /** The fault that applies to one incoming request; uses up one of a counted fault's requests. */
  take(role: NodeRole): Fault;
  snapshot(): Record<NodeRole, Fault>;
};

/** Every node healthy until told otherwise. */
export function createFaultBoard(): FaultBoard {
  const faults = new Map<NodeRole, Fault>();
  const get = (role: NodeRole) => faults.get(role) ?? HEALTHY;
  return {
    get,
    set: (role, fault) => void faults.set(role, fault),
    take(role) {
      const fault = get(role);
      if (fault.remaining !== null) {
        const remaining = fault.remaining - 1;
        faults.set(role, remaining > 0 ? { ...fault, remaining } : HEALTHY);
      }
      return fault;
    },
    snapshot: () => Object.fromEntries(NODE_ROLES.map((role) => [role, get(role)])) as Record<NodeRole, Fault>,
  };
}
