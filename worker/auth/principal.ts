// Who is calling: the verified claims of a session token.
import type { Role } from "./permissions.ts";

export type Principal = {
  userId: string;
  tenantId: string;
  role: Role;
  /** Display name, carried in the token so hot paths need no user lookup. */
  name: string;
};
