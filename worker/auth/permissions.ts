// Roles and permissions (API.md "Auth and roles", seed 001 §5.3). Pure data and one check.

export const ROLES = ["kyc_agent", "manager", "it_staff", "customer"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "video_calls.view_queue",
  "video_calls.accept",
  "video_calls.manage",
  "video_calls.analytics",
  "users.manage",
  "verifications.read_all",
  "verifications.own",
  "video_calls.own",
  "direct_calls.use",
  /** Changing a recorded decision: managers only, each change its own audit record. */
  "decisions.override",
  /** Operating the audit pipeline (re-driving what the queues gave up on): IT staff and managers. */
  "operations.redrive",
  /** Erasure, legal hold, retention settings and any verification's export: managers only. */
  "data_lifecycle.manage",
  /** Client-app integrations (API keys, webhooks): managers. */
  "integrations.manage",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  kyc_agent: new Set(["video_calls.view_queue", "video_calls.accept", "verifications.read_all", "direct_calls.use"]),
  manager: new Set([
    "video_calls.view_queue",
    "video_calls.accept",
    "video_calls.manage",
    "video_calls.analytics",
    "users.manage",
    "verifications.read_all",
    "direct_calls.use",
    "decisions.override",
    "operations.redrive",
    "data_lifecycle.manage",
    "integrations.manage",
  ]),
  it_staff: new Set([
    "video_calls.view_queue",
    "video_calls.manage",
    "video_calls.analytics",
    "verifications.read_all",
    "direct_calls.use",
    "operations.redrive",
  ]),
  customer: new Set(["verifications.own", "video_calls.own", "direct_calls.use"]),
};

/** True when `role` grants `permission`. */
export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/** Staff are every role but customers: they act on the whole tenant, not only on their own. */
export function isStaff(role: Role): boolean {
  return role !== "customer";
}

export function permissionsOf(role: Role): Permission[] {
  return [...ROLE_PERMISSIONS[role]];
}
