// Typed configuration from Worker vars (strings) with the documented defaults. One schema
// so that a typo in a var name or value fails loudly in one place.
import { LOG_LEVELS, type LogLevel } from "./observability/log.ts";
import { perObject } from "./per-object.ts";
import { z } from "zod";
import type { QueueConfig } from "./core/queue/types.ts";
import type { ReadinessConfig } from "./core/readiness.ts";
import type { RateLimitScope } from "./core/rate-limit.ts";

const seconds = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const flag = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "on", "off"])
    .default(fallback ? "true" : "false")
    .transform((v) => v === "true" || v === "1" || v === "on");

const positive = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
/** Requests a minute per key; 0 turns the limit off. A request over the limit costs up to this
 * many rate-limit binding calls (core/rate-limit.ts), hence the ceiling. */
const perMinute = (fallback: number) => z.coerce.number().int().min(0).max(10_000).default(fallback);

const ConfigSchema = z.object({
  ENVIRONMENT: z.string().default("production"),
  /** The lowest level logged: debug, info (default), warn or error. */
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  TOKEN_TTL_SECONDS: positive(12 * 3600),
  MAX_UPLOAD_BYTES: positive(10 * 1024 * 1024),
  MAX_DOCUMENTS_PER_VERIFICATION: positive(20),
  MAX_OPEN_VERIFICATIONS_PER_CUSTOMER: positive(5),
  OFFER_TIMEOUT_SECONDS: positive(30),
  MAX_MISSED_OFFERS: positive(3),
  WRAP_UP_SECONDS: seconds(0),
  AGE_ESCALATION_MINUTES: positive(30),
  DECLINE_COOLDOWN_SECONDS: seconds(60),
  VIDEO_CALL_TIMEOUT_MINUTES: positive(30),
  HEARTBEAT_INTERVAL_SECONDS: positive(30),
  OFFLINE_AFTER_SECONDS: positive(90),
  FEATURE_AGENT_HEARTBEAT: flag(true),
  FEATURE_DEVICE_CONNECTIVITY: flag(true),
  FEATURE_ENHANCED_DISCOVERY: flag(true),
  FEATURE_DISCOVERY_FALLBACK: flag(true),
  AUDIT_LOG_ORIGIN: z.string().min(1).default("verifyid.local/audit-log"),
  ANCHOR_INTERVAL_SECONDS: positive(10),
  ANCHOR_MAX_BATCH: positive(1000),
  DIRECT_CALL_RING_SECONDS: positive(30),
  DIRECT_CALL_OFFLINE_SECONDS: positive(30),
  DIRECT_CALL_MAX_MINUTES: positive(120),
  MAX_RECORDING_BYTES: positive(25 * 1024 * 1024),
  SERVICE_LEVEL_SECONDS: positive(60),
  /** How often at most staff sockets hear pending-list changes and customers their place (ms). */
  STAFF_DIGEST_INTERVAL_MS: positive(250),
  /** How long /health reuses its D1 figures (ping, audit backlog) in an isolate (ms; 0 = never). */
  HEALTH_CACHE_MS: seconds(2000),
  // Abuse limits (worker/http/rate-limits.ts), per user unless noted.
  RATE_LIMIT_QUEUE_PER_MINUTE: perMinute(10),
  RATE_LIMIT_VERIFICATIONS_PER_MINUTE: perMinute(10),
  RATE_LIMIT_UPLOADS_PER_MINUTE: perMinute(60),
  RATE_LIMIT_DIRECT_CALLS_PER_MINUTE: perMinute(20),
  RATE_LIMIT_SOCKETS_PER_MINUTE: perMinute(30),
  /** Per client IP. */
  RATE_LIMIT_PUBLIC_AUDIT_PER_MINUTE: perMinute(120),
  /** Sign-in attempts per client IP, across emails. */
  RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: perMinute(30),
  /** Sign-in attempts per client IP and email. */
  RATE_LIMIT_LOGIN_PER_EMAIL_PER_MINUTE: perMinute(10),
  // Client apps (API keys, hosted sessions, webhooks).
  API_KEY_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  HOSTED_SESSION_TTL_SECONDS: positive(24 * 3600),
  /** Where session links point; the request's own origin when unset. */
  PUBLIC_APP_URL: z.url().optional(),
  /** Seconds before each retry of a failed delivery, a comma list (Queues delay at most 12 h). */
  WEBHOOK_RETRY_DELAYS_SECONDS: z
    .string()
    .default("5,300,1800,7200,18000,36000")
    .transform((v) => v.split(",").map((part) => Number(part.trim())))
    .pipe(z.array(z.number().int().min(0).max(43_200)).min(1)),
  WEBHOOK_TIMEOUT_SECONDS: positive(5),
  WEBHOOK_ALLOW_PRIVATE_URLS: flag(false),
});

export type Config = {
  environment: string;
  logLevel: LogLevel;
  tokenTtlSeconds: number;
  maxUploadBytes: number;
  maxDocumentsPerVerification: number;
  /** Verifications a customer may have created but not yet had decided or cancelled. */
  maxOpenVerificationsPerCustomer: number;
  /** The queue's rules, except the per-tenant assignment strategy. */
  queue: Omit<QueueConfig, "strategy">;
  readiness: ReadinessConfig;
  audit: AuditConfig;
  directCalls: { ringSeconds: number; offlineAfterSeconds: number; maxMinutes: number };
  maxRecordingBytes: number;
  /** Calls taken within this many seconds count toward the service level. */
  serviceLevelSeconds: number;
  /** The least time between two digests of the coordinator's coalesced stream (staff-stream.ts). */
  staffDigestIntervalMs: number;
  /** How long /health reuses its D1 figures in an isolate (routes/health.ts). */
  healthCacheMs: number;
  /** Requests a minute per key for each abuse limit; 0 = off. */
  rateLimits: Record<RateLimitScope, number>;
  clientApps: ClientAppConfig;
};

export type ClientAppConfig = {
  /** How long an isolate trusts its cached API-key lookup: the bound on revocation elsewhere. */
  apiKeyCacheSeconds: number;
  hostedSessionTtlSeconds: number;
  publicAppUrl: string | null;
  webhooks: { retryDelaysSeconds: number[]; timeoutSeconds: number; allowPrivateUrls: boolean };
};

export type AuditConfig = {
  /** The log's name in checkpoints (C2SP origin line). */
  origin: string;
  anchor: { intervalSeconds: number; maxBatch: number };
};

/** Reads the configuration from the Worker's vars; throws on malformed values. The vars of an
 * isolate's `env` never change, so each env object is parsed once, not on every request (routes
 * and rate limits read the configuration on the hot path). */
export const configFrom: (env: object) => Config = perObject((env: object) => parseConfig(env));

function parseConfig(env: object): Config {
  const raw = ConfigSchema.parse(env);
  return {
    environment: raw.ENVIRONMENT,
    logLevel: raw.LOG_LEVEL,
    tokenTtlSeconds: raw.TOKEN_TTL_SECONDS,
    maxUploadBytes: raw.MAX_UPLOAD_BYTES,
    maxDocumentsPerVerification: raw.MAX_DOCUMENTS_PER_VERIFICATION,
    maxOpenVerificationsPerCustomer: raw.MAX_OPEN_VERIFICATIONS_PER_CUSTOMER,
    queue: {
      offerTimeoutSeconds: raw.OFFER_TIMEOUT_SECONDS,
      maxMissedOffers: raw.MAX_MISSED_OFFERS,
      wrapUpSeconds: raw.WRAP_UP_SECONDS,
      ageEscalationMinutes: raw.AGE_ESCALATION_MINUTES,
      declineCooldownSeconds: raw.DECLINE_COOLDOWN_SECONDS,
      videoCallTimeoutMinutes: raw.VIDEO_CALL_TIMEOUT_MINUTES,
      features: {
        agentHeartbeat: raw.FEATURE_AGENT_HEARTBEAT,
        deviceConnectivity: raw.FEATURE_DEVICE_CONNECTIVITY,
        enhancedDiscovery: raw.FEATURE_ENHANCED_DISCOVERY,
        discoveryFallback: raw.FEATURE_DISCOVERY_FALLBACK,
      },
    },
    readiness: { heartbeatIntervalSeconds: raw.HEARTBEAT_INTERVAL_SECONDS, offlineAfterSeconds: raw.OFFLINE_AFTER_SECONDS },
    audit: {
      origin: raw.AUDIT_LOG_ORIGIN,
      anchor: { intervalSeconds: raw.ANCHOR_INTERVAL_SECONDS, maxBatch: raw.ANCHOR_MAX_BATCH },
    },
    directCalls: {
      ringSeconds: raw.DIRECT_CALL_RING_SECONDS,
      offlineAfterSeconds: raw.DIRECT_CALL_OFFLINE_SECONDS,
      maxMinutes: raw.DIRECT_CALL_MAX_MINUTES,
    },
    maxRecordingBytes: raw.MAX_RECORDING_BYTES,
    serviceLevelSeconds: raw.SERVICE_LEVEL_SECONDS,
    staffDigestIntervalMs: raw.STAFF_DIGEST_INTERVAL_MS,
    healthCacheMs: raw.HEALTH_CACHE_MS,
    rateLimits: {
      queue: raw.RATE_LIMIT_QUEUE_PER_MINUTE,
      verifications: raw.RATE_LIMIT_VERIFICATIONS_PER_MINUTE,
      uploads: raw.RATE_LIMIT_UPLOADS_PER_MINUTE,
      direct_calls: raw.RATE_LIMIT_DIRECT_CALLS_PER_MINUTE,
      sockets: raw.RATE_LIMIT_SOCKETS_PER_MINUTE,
      public_audit: raw.RATE_LIMIT_PUBLIC_AUDIT_PER_MINUTE,
      login_ip: raw.RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE,
      login_email: raw.RATE_LIMIT_LOGIN_PER_EMAIL_PER_MINUTE,
    },
    clientApps: {
      apiKeyCacheSeconds: raw.API_KEY_CACHE_SECONDS,
      hostedSessionTtlSeconds: raw.HOSTED_SESSION_TTL_SECONDS,
      publicAppUrl: raw.PUBLIC_APP_URL ?? null,
      webhooks: {
        retryDelaysSeconds: raw.WEBHOOK_RETRY_DELAYS_SECONDS,
        timeoutSeconds: raw.WEBHOOK_TIMEOUT_SECONDS,
        allowPrivateUrls: raw.WEBHOOK_ALLOW_PRIVATE_URLS,
      },
    },
  };
}
