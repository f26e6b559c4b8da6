// Session tokens: HS256 JWTs (jose) with the contract's claims sub, tenant, role, exp, plus
// `aud` (this API), `jti` (the session, revocable) and `epoch` (the account's token epoch).
import { errors, jwtVerify, SignJWT } from "jose";
import { ApiError, unauthorized } from "../http/errors.ts";
import { ROLES, type Role } from "./permissions.ts";
import type { Identity, Principal } from "./principal.ts";

const ISSUER = "verifyid";
export const AUDIENCE = "verifyid-api";

function keyFrom(secret: string | undefined): Uint8Array {
  // Fail closed: without a configured secret no token is issued or accepted.
  if (!secret || secret.length < 32) {
    throw new ApiError(503, "server_misconfigured", "The server's token key is not configured.");
  }
  return new TextEncoder().encode(secret);
}

/** Signs a token for `who` that expires `ttlSeconds` from now, in account token epoch `epoch`. */
export async function signToken(who: Identity, secret: string | undefined, ttlSeconds: number, epoch = 0) {
  const expiresAt = Math.floor(Date.now() / 1000) + ttlSeconds;
  const sessionId = crypto.randomUUID();
  const scope = who.verificationId ? { vid: who.verificationId } : {};
  const token = await new SignJWT({ tenant: who.tenantId, role: who.role, name: who.name, epoch, ...scope })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(who.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setJti(sessionId)
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(keyFrom(secret));
  return { token, sessionId, expiresAt: new Date(expiresAt * 1000).toISOString() };
}

/** Verifies signature, algorithm, issuer, audience, expiry and claim shapes; 401 on any failure.
 * Revocation (sign-out, disabled accounts) is checked by the middleware against D1. */
export async function verifyToken(token: string, secret: string | undefined): Promise<Principal> {
  const key = keyFrom(secret);
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ["HS256"],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ["exp", "jti", "sub"],
    });
    const { sub, tenant, role, name, jti, exp, epoch, vid } = payload;
    if (
      typeof sub !== "string" ||
      typeof tenant !== "string" ||
      !ROLES.includes(role as Role) ||
      typeof jti !== "string" ||
      typeof exp !== "number"
    ) {
      throw unauthorized("The token's claims are invalid.");
    }
    return {
      userId: sub,
      tenantId: tenant,
      role: role as Role,
      name: typeof name === "string" ? name : "",
      sessionId: jti,
      expiresAt: exp * 1000,
      epoch: typeof epoch === "number" ? epoch : 0,
      ...(typeof vid === "string" ? { verificationId: vid } : {}),
    };
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof errors.JWTExpired) throw unauthorized("The token has expired; log in again.");
    throw unauthorized("The token is invalid.");
  }
}
