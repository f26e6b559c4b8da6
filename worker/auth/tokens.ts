// Session tokens: HS256 JWTs (jose) with the contract's claims sub, tenant, role, exp.
import { errors, jwtVerify, SignJWT } from "jose";
import { ApiError, unauthorized } from "../http/errors.ts";
import { ROLES, type Role } from "./permissions.ts";
import type { Principal } from "./principal.ts";

const ISSUER = "verifyid";

function keyFrom(secret: string | undefined): Uint8Array {
  // Fail closed: without a configured secret no token is issued or accepted.
  if (!secret || secret.length < 32) {
    throw new ApiError(503, "server_misconfigured", "The server's token key is not configured.");
  }
  return new TextEncoder().encode(secret);
}

/** Signs a token for `principal` that expires `ttlSeconds` from now. */
export async function signToken(principal: Principal, secret: string | undefined, ttlSeconds: number) {
  const expiresAt = Math.floor(Date.now() / 1000) + ttlSeconds;
  const token = await new SignJWT({ tenant: principal.tenantId, role: principal.role, name: principal.name })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(principal.userId)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(keyFrom(secret));
  return { token, expiresAt: new Date(expiresAt * 1000).toISOString() };
}

/** Verifies signature, algorithm, issuer, expiry and claim shapes; 401 on any failure. */
export async function verifyToken(token: string, secret: string | undefined): Promise<Principal> {
  const key = keyFrom(secret);
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"], issuer: ISSUER });
    const { sub, tenant, role, name } = payload;
    if (typeof sub !== "string" || typeof tenant !== "string" || !ROLES.includes(role as Role)) {
      throw unauthorized("The token's claims are invalid.");
    }
    return { userId: sub, tenantId: tenant, role: role as Role, name: typeof name === "string" ? name : "" };
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof errors.JWTExpired) throw unauthorized("The token has expired; log in again.");
    throw unauthorized("The token is invalid.");
  }
}
