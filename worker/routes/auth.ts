// Login, the caller's own record, and tenant user management.
import { createRoute } from "@hono/zod-openapi";
import { principalOf, requirePermission } from "../auth/middleware.ts";
import { DUMMY_HASH, hashPassword, verifyPassword } from "../auth/password.ts";
import { signToken } from "../auth/tokens.ts";
import { configFrom } from "../config.ts";
import { database } from "../db/client.ts";
import { insertUser, listUsers, publicUser, setUserDisabled, userByEmail, userInTenant } from "../db/users.ts";
import { revokeToken } from "../auth/sessions.ts";
import { closeSocketsOf } from "../auth/close-sockets.ts";
import { ApiError, conflict, notFound } from "../http/errors.ts";
import { router } from "../http/openapi.ts";
import { clientIp, enforceRateLimit, rateLimit } from "../http/rate-limits.ts";
import { CreateUserRequest, LoginRequest, LoginResponse, User, UserList, UserListQuery } from "../schemas/auth.ts";
import { errors, IdParam, json, jsonBody } from "../schemas/common.ts";

export const authRoutes = router();
export const userRoutes = router();
userRoutes.use("*", requirePermission("users.manage"));

authRoutes.openapi(
  createRoute({
    method: "post",
    path: "/login",
    tags: ["auth"],
    summary: "Exchange email and password for a session token",
    middleware: [rateLimit("login_ip", clientIp)] as const,
    request: { body: jsonBody(LoginRequest) },
    responses: { 200: json(LoginResponse, "A token and the user"), ...errors(400, 401, 429) },
  }),
  async (c) => {
    const { email, password } = c.req.valid("json");
    // Every attempt counts, right or wrong: otherwise a guesser would learn from the answers.
    await enforceRateLimit(c, "login_email", `${clientIp(c)}:${email.toLowerCase()}`);
    const db = database(c.env.DB);
    const user = await userByEmail(db, email);
    // Same work and same answer for an unknown email and a wrong password.
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) throw new ApiError(401, "invalid_credentials", "Email or password is incorrect.");
    // Said only to someone who knows the password, so it reveals nothing to a guesser.
    if (user.disabledAt !== null) throw new ApiError(401, "account_disabled", "This account is disabled; ask your manager.");
    const identity = { userId: user.id, tenantId: user.tenantId, role: user.role, name: user.name };
    const { token, expiresAt } = await signToken(identity, c.env.JWT_SECRET, configFrom(c.env).tokenTtlSeconds, user.tokenEpoch);
    return c.json({ token, expires_at: expiresAt, user: publicUser(user) }, 200);
  },
);

authRoutes.openapi(
  createRoute({
    method: "post",
    path: "/logout",
    tags: ["auth"],
    summary: "Sign out: this token is revoked at once and its sockets are closed",
    security: [{ bearer: [] }],
    responses: { 204: { description: "Signed out" }, ...errors(401) },
  }),
  async (c) => {
    const who = principalOf(c);
    await revokeToken(c.env.DB, who).run();
    await closeSocketsOf(c.env, who.tenantId, { userId: who.userId, sessionId: who.sessionId }, "token_revoked");
    return c.body(null, 204);
  },
);

authRoutes.openapi(
  createRoute({
    method: "get",
    path: "/me",
    tags: ["auth"],
    summary: "The authenticated user",
    security: [{ bearer: [] }],
    responses: { 200: json(User, "The user"), ...errors(401) },
  }),
  async (c) => {
    const { userId, tenantId } = principalOf(c);
    const user = await userInTenant(database(c.env.DB), tenantId, userId);
    if (!user) throw notFound("User");
    return c.json(publicUser(user), 200);
  },
);

userRoutes.openapi(
  createRoute({
    method: "post",
    path: "/",
    tags: ["users"],
    summary: "Create a user in the manager's own tenant",
    security: [{ bearer: [] }],
    request: { body: jsonBody(CreateUserRequest) },
    responses: { 201: json(User, "The new user"), ...errors(400, 401, 403, 409) },
  }),
  async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = principalOf(c);
    const created = await insertUser(database(c.env.DB), {
      tenantId,
      email: input.email,
      name: input.name,
      role: input.role,
      passwordHash: await hashPassword(input.password),
    });
    if (!created) throw conflict("email_taken", "A user with this email already exists.");
    return c.json(publicUser(created), 201);
  },
);

userRoutes.openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["users"],
    summary: "Users of the manager's tenant, optionally by role",
    security: [{ bearer: [] }],
    request: { query: UserListQuery },
    responses: { 200: json(UserList, "Users"), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const { role } = c.req.valid("query");
    const rows = await listUsers(database(c.env.DB), principalOf(c).tenantId, role);
    return c.json({ items: rows.map(publicUser) }, 200);
  },
);

for (const action of ["disable", "enable"] as const) {
  userRoutes.openapi(
    createRoute({
      method: "post",
      path: `/{id}/${action}`,
      tags: ["users"],
      summary:
        action === "disable"
          ? "Disable a user of the manager's tenant: no sign-in, every token revoked and every socket closed at once"
          : "Enable a disabled user again (they sign in anew; old tokens stay revoked)",
      security: [{ bearer: [] }],
      request: { params: IdParam },
      responses: { 200: json(User, "The user"), ...errors(401, 403, 404, 409) },
    }),
    async (c) => {
      const who = principalOf(c);
      const { id } = c.req.valid("param");
      if (action === "disable" && id === who.userId) throw conflict("cannot_disable_self", "You cannot disable your own account.");
      const user = await setUserDisabled(database(c.env.DB), who.tenantId, id, action === "disable");
      if (!user) throw notFound("User");
      if (action === "disable") await closeSocketsOf(c.env, who.tenantId, { userId: id }, "token_revoked");
      return c.json(publicUser(user), 200);
    },
  );
}
