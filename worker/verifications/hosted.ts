// Hosted verification sessions: a client app starts a verification for one of its users and
// sends them a link; the link opens the customer flow for that one verification, without an
// account. Each session has its own guest customer, so every ownership check of the customer
// flow confines the link's token to that verification.
//
// The link's token is an HMAC of the verification id under the token key: nothing secret is
// stored, and a retried create (same Idempotency-Key) can hand out the same link again.
import { DUMMY_HASH } from "../auth/password.ts";
import type { Principal } from "../auth/principal.ts";
import { signToken } from "../auth/tokens.ts";
import { configFrom } from "../config.ts";
import {
  claimSession,
  type HostedSessionRow,
  hostedSession,
  insertHostedVerification,
  isRevoked,
  sessionByIdempotencyKey,
  sessionsByExternalRef,
} from "../db/api-keys.ts";
import { database } from "../db/client.ts";
import { publicUser, userInTenant } from "../db/users.ts";
import { verificationById, verificationSummary } from "../db/verifications.ts";
import { hmacSha256Hex, sha256Hex } from "../encoding.ts";
import { ApiError, badRequest, conflict, unauthorized } from "../http/errors.ts";
import { iso, newId } from "../ids.ts";
import type { CreateHostedVerificationRequest } from "../schemas/api-keys.ts";
import { verificationViewFor } from "./customer-view.ts";

const SESSION_PREFIX = "vss_";

async function linkMac(secret: string | undefined, verificationId: string): Promise<string> {
  if (!secret) throw new ApiError(503, "server_misconfigured", "The server's token key is not configured.");
  const hex = await hmacSha256Hex(new TextEncoder().encode(secret), `hosted-session:v1:${verificationId}`);
  return hex.slice(0, 48);
}

/** The session token of a verification's link. */
export async function sessionTokenFor(env: Env, verificationId: string): Promise<string> {
  return `${SESSION_PREFIX}${verificationId}_${await linkMac(env.JWT_SECRET, verificationId)}`;
}

/** The verification a session token names, when its MAC is right. */
async function verificationOfToken(env: Env, token: string): Promise<string | null> {
  const match = /^vss_([0-9a-f-]{36})_([0-9a-f]{48})$/.exec(token);
  if (!match) return null;
  const expected = await linkMac(env.JWT_SECRET, match[1]!);
  // Compared as MACs of both sides, so the comparison takes the same time wherever they differ.
  const key = new TextEncoder().encode("compare");
  return (await hmacSha256Hex(key, expected)) === (await hmacSha256Hex(key, match[2]!)) ? match[1]! : null;
}

/** The base of session links: the configured app URL, else the request's origin. */
function appBase(env: Env, requestUrl: string): string {
  return (configFrom(env).clientApps.publicAppUrl ?? new URL(requestUrl).origin).replace(/\/$/, "");
}

/** The create answer of a session (the token in the fragment stays out of server logs and Referer). */
async function createdView(env: Env, session: HostedSessionRow, status: string, requestUrl: string) {
  return {
    id: session.verificationId,
    status,
    external_ref: session.externalRef,
    redirect_url: session.redirectUrl,
    session_url: `${appBase(env, requestUrl)}/customer#session=${await sessionTokenFor(env, session.verificationId)}`,
    session_expires_at: iso(session.expiresAt)!,
  };
}

/** A redirect must be https; plain http only where private URLs are allowed (local runs). */
function assertRedirectAllowed(env: Env, url: string | undefined) {
  if (!url || url.startsWith("https://")) return;
  if (!configFrom(env).clientApps.webhooks.allowPrivateUrls) {
    throw badRequest("Invalid request: check redirect_url.", { redirect_url: "redirect_url must be an https URL" });
  }
}

/** Starts a hosted verification for a client app's key. With an Idempotency-Key, a retry gets
 * the same verification back, and the same key with another body is a 422. */
export async function createHostedVerification(
  env: Env,
  who: Principal,
  body: CreateHostedVerificationRequest,
  idempotencyKey: string | undefined,
  requestUrl: string,
) {
  const db = database(env.DB);
  const requestHash = await sha256Hex(JSON.stringify([body.external_ref, body.user_info ?? null, body.redirect_url ?? null]));
  const replay = async () => {
    const prior = idempotencyKey ? await sessionByIdempotencyKey(db, who.tenantId, idempotencyKey) : undefined;
    if (!prior) return null;
    if (prior.requestHash !== requestHash) {
      throw new ApiError(422, "idempotency_key_reused", "This Idempotency-Key was used with a different request body.");
    }
    const row = await verificationById(db, prior.verificationId);
    return createdView(env, prior, row?.status ?? "created", requestUrl);
  };
  const earlier = await replay();
  if (earlier) return earlier;
  assertRedirectAllowed(env, body.redirect_url);

  const now = Date.now();
  const id = newId(now);
  const session: HostedSessionRow = {
    verificationId: id,
    tenantId: who.tenantId,
    apiKeyId: who.apiKey!.id,
    externalRef: body.external_ref,
    redirectUrl: body.redirect_url ?? null,
    idempotencyKey: idempotencyKey ?? null,
    requestHash,
    expiresAt: now + configFrom(env).clientApps.hostedSessionTtlSeconds * 1000,
    claimedJti: null,
    claimedUntil: null,
    createdAt: now,
  };
  try {
    await insertHostedVerification(env.DB, db, {
      guest: {
        id: newId(now),
        tenantId: who.tenantId,
        // Never signs in: the address cannot exist and the password hash matches no password.
        email: `session-${id}@hosted.invalid`,
        name: body.user_info?.name ?? body.external_ref,
        role: "customer",
        passwordHash: DUMMY_HASH,
        createdAt: now,
      },
      verification: { id, tenantId: who.tenantId, userInfo: body.user_info ? JSON.stringify(body.user_info) : null, createdAt: now },
      session,
    });
  } catch (err) {
    // A concurrent create with the same Idempotency-Key won: answer as its retry.
    const winner = await replay();
    if (winner) return winner;
    throw err;
  }
  return createdView(env, session, "created", requestUrl);
}

/** The tenant's verifications for one external reference, newest first, as `who` may see them. */
export async function verificationsByExternalRef(env: Env, who: Principal, externalRef: string, limit: number) {
  const db = database(env.DB);
  const sessions = await sessionsByExternalRef(db, who.tenantId, externalRef, limit);
  const items = [];
  for (const session of sessions) {
    const row = await verificationById(db, session.verificationId);
    if (row) items.push({ ...verificationViewFor(who, verificationSummary(row)), external_ref: session.externalRef });
  }
  return { items, next_cursor: null };
}

/** Exchanges a link's session token for a customer token that reaches its one verification.
 * Single-person: while a token from an earlier exchange is live (not expired, not signed out),
 * another exchange is refused with 409 `session_in_use`. */
export async function exchangeSessionToken(env: Env, sessionToken: string) {
  const invalid = () => unauthorized("The session link is invalid or has expired.");
  const verificationId = await verificationOfToken(env, sessionToken);
  if (!verificationId) throw invalid();
  const db = database(env.DB);
  const session = await hostedSession(db, verificationId);
  const now = Date.now();
  if (!session || session.expiresAt <= now) throw invalid();
  const verification = await verificationById(db, verificationId);
  const guest = verification ? await userInTenant(db, session.tenantId, verification.customerId) : undefined;
  if (!guest || guest.disabledAt !== null) throw invalid();

  const previous = session.claimedJti;
  const live = previous !== null && (session.claimedUntil ?? 0) > now && !(await isRevoked(db, previous));
  const inUse = () => conflict("session_in_use", "This link is already open on another device; sign out there first.");
  if (live) throw inUse();

  const identity = { userId: guest.id, tenantId: guest.tenantId, role: guest.role, name: guest.name, verificationId };
  const signed = await signToken(identity, env.JWT_SECRET, configFrom(env).tokenTtlSeconds, guest.tokenEpoch);
  if (!(await claimSession(db, verificationId, previous, { jti: signed.sessionId, until: Date.parse(signed.expiresAt) }))) throw inUse();
  return {
    token: signed.token,
    expires_at: signed.expiresAt,
    user: publicUser(guest),
    verification_id: verificationId,
    redirect_url: session.redirectUrl,
  };
}
