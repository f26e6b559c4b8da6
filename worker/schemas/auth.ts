import { z } from "@hono/zod-openapi";
import { ROLES } from "../auth/permissions.ts";

export const Role = z.enum(ROLES).openapi("Role");

export const User = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: Role,
    tenant_id: z.string(),
    /** A disabled account cannot sign in and all its tokens are refused. */
    disabled: z.boolean(),
  })
  .openapi("User");
export type User = z.infer<typeof User>;

export const LoginRequest = z
  .object({
    email: z.email("email must be an email address").max(254).openapi({ example: "manager@demo.test" }),
    password: z.string("password is required").min(1, "password is required").max(256).openapi({ example: "demo-password" }),
  })
  .openapi("LoginRequest");

export const LoginResponse = z.object({ token: z.string(), expires_at: z.string(), user: User }).openapi("LoginResponse");

export const CreateUserRequest = z
  .object({
    email: z.email("email must be an email address").max(254),
    name: z.string().trim().min(1, "name is required").max(200),
    role: Role,
    password: z.string().min(10, "password must have at least 10 characters").max(256),
  })
  .openapi("CreateUserRequest");

export const UserList = z.object({ items: z.array(User) }).openapi("UserList");
export const UserListQuery = z.object({ role: Role.optional() });
