// D1 schema (drizzle-orm). Times are integer milliseconds since the epoch; the API renders
// them as ISO-8601 strings at the edge. Every tenant-owned table carries `tenant_id` and is
// indexed on it, because every query is scoped by the caller's tenant.
//
// Who writes each table (one module each; reads go through the same module unless noted):
//   tenants                  db/tenants.ts
//   users                    db/users.ts
//   revoked_tokens           db/sessions.ts
//   verifications            db/verifications.ts; the QueueCoordinator's call and decision
//                            through its outbox (outbox/d1-writer.ts, `verification_set` ops)
//   documents                db/documents.ts (with its audit record, in one batch)
//   video_calls              outbox/d1-writer.ts only (the QueueCoordinator owns live calls);
//                            read in db/video-calls.ts and dashboard/queries.ts
//   call_offers              outbox/d1-writer.ts only; read in dashboard/queries.ts
//   audit_records            db/audit-records.ts (its statements also run in the outbox's and
//                            the documents' and overrides' batches)
//   blockchain_transactions  db/anchors.ts
//   direct_calls             outbox/d1-writer.ts only (the DirectCallDesk's outbox)
//   call_recordings          db/call-recordings.ts
//   decision_overrides       db/decision-overrides.ts (with its audit record and the
//                            verification's new decision, in one batch)
//   api_keys                 db/api-keys.ts
//   hosted_sessions          db/api-keys.ts (with the verification and its guest customer, in one batch)
//   webhook_endpoints        db/webhooks.ts
//   webhook_deliveries       db/webhooks.ts; its event fan-out statement also runs in the batch of
//                            the state change that causes the event (webhooks/events.ts)
//   agent_skills             db/routing.ts (the QueueCoordinator keeps the copy it dispatches with)
//   routing_queues           db/routing.ts (likewise)
//   data_keys                db/data-keys.ts
//   verification_lifecycle   db/lifecycle.ts
//   retention_settings       db/retention.ts
// An erasure clears personal data in several of the tables above in one batch: db/erasure.ts
// is the one other writer of those rows, and only to blank them.

import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const tenants = sqliteTable("tenants", {
  id: text("id").primaryKey(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  /** JSON object of per-tenant settings (assignment strategy, recording, ...). */
  settings: text("settings").notNull().default("{}"),
  createdAt: integer("created_at").notNull(),
});

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    /** Stored lower-cased; unique across tenants so that login needs no tenant. */
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: ["kyc_agent", "manager", "it_staff", "customer"] }).notNull(),
    passwordHash: text("password_hash").notNull(),
    createdAt: integer("created_at").notNull(),
    /** Set when a manager disables the account: no sign-in, every token refused. */
    disabledAt: integer("disabled_at"),
    /** Tokens carry the epoch they were issued in; disabling the account moves it on, so every
     * token issued before is refused at once (an exact counter, not a clock comparison). */
    tokenEpoch: integer("token_epoch").notNull().default(0),
  },
  (t) => [uniqueIndex("users_email_unique").on(t.email), index("users_tenant_role").on(t.tenantId, t.role)],
);

/** Tokens signed out before they expired (by `jti`); rows past `expires_at` can be dropped. */
export const revokedTokens = sqliteTable(
  "revoked_tokens",
  {
    jti: text("jti").primaryKey(),
    userId: text("user_id").notNull(),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at").notNull(),
  },
  (t) => [index("revoked_tokens_expires").on(t.expiresAt)],
);

export const verifications = sqliteTable(
  "verifications",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    customerId: text("customer_id")
      .notNull()
      .references(() => users.id),
    status: text("status").notNull(),
    /** JSON {name, email, date_of_birth} as given by the customer. */
    userInfo: text("user_info"),
    fraudScore: real("fraud_score"),
    riskLevel: text("risk_level"),
    /** JSON array of strings. */
    flags: text("flags"),
    riskSource: text("risk_source"),
    priority: text("priority"),
    /** JSON array of {skill, level} a client app requires of the agent (issue 17), or null. */
    requirements: text("requirements"),
    callId: text("call_id"),
    decision: text("decision"),
    decisionReason: text("decision_reason"),
    submittedAt: integer("submitted_at"),
    decidedAt: integer("decided_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("verifications_tenant_status_created").on(t.tenantId, t.status, t.createdAt),
    index("verifications_tenant_created").on(t.tenantId, t.createdAt),
    index("verifications_customer").on(t.customerId, t.createdAt),
  ],
);

export const documents = sqliteTable(
  "documents",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    verificationId: text("verification_id")
      .notNull()
      .references(() => verifications.id),
    docType: text("doc_type").notNull(),
    /** Detected from the magic bytes, never taken from the client. */
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    /** Lowercase hex SHA-256 of the exact plaintext bytes. */
    documentHash: text("document_hash").notNull(),
    /** R2 key of the encrypted envelope (see worker/documents/envelope.ts). */
    objectKey: text("object_key").notNull(),
    /** ISO 3166-1 alpha-2, upper case, as the uploader stated it; null when not given (issue 17). */
    issuingCountry: text("issuing_country"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("documents_verification").on(t.verificationId), index("documents_hash").on(t.documentHash)],
);

/**
 * Video calls as recorded for history and analytics. The QueueCoordinator owns a call while
 * it is live and writes this projection through its outbox; nothing else writes it.
 */
export const videoCalls = sqliteTable(
  "video_calls",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    verificationId: text("verification_id").notNull(),
    customerId: text("customer_id").notNull(),
    userName: text("user_name").notNull(),
    agentId: text("agent_id"),
    status: text("status").notNull(),
    priority: text("priority").notNull(),
    initialPriority: text("initial_priority").notNull(),
    fraudScore: real("fraud_score"),
    sessionId: text("session_id"),
    createdAt: integer("created_at").notNull(),
    firstOfferedAt: integer("first_offered_at"),
    assignedAt: integer("assigned_at"),
    startedAt: integer("started_at"),
    endedAt: integer("ended_at"),
    /** Seconds from enqueue until an agent took the call. */
    waitSeconds: integer("wait_seconds"),
    durationSeconds: integer("duration_seconds"),
    endReason: text("end_reason"),
    decision: text("decision"),
    decisionReason: text("decision_reason"),
    notes: text("notes"),
    /** HMAC-SHA256 of the notes under `notes_key`; the audit record carries the same value. */
    notesHash: text("notes_hash"),
    /** The per-call random key of that HMAC. Not in the leaf, so a receipt holder cannot test
     * guesses of short notes; give it to an auditor together with the notes to confirm them. */
    notesKey: text("notes_key"),
    auditRecordId: text("audit_record_id"),
    /** The routing queue the call went to (issue 17); null for the default queue. */
    queueId: text("queue_id"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("video_calls_tenant_created").on(t.tenantId, t.createdAt),
    index("video_calls_tenant_queue_created").on(t.tenantId, t.queueId, t.createdAt),
    // Covers the dashboard aggregates, so a period is read from the index alone.
    index("video_calls_tenant_created_metrics").on(
      t.tenantId,
      t.createdAt,
      t.status,
      t.assignedAt,
      t.waitSeconds,
      t.durationSeconds,
      t.decision,
      t.endReason,
      t.agentId,
    ),
    index("video_calls_tenant_status_ended").on(t.tenantId, t.status, t.endedAt),
    index("video_calls_agent_ended").on(t.agentId, t.endedAt),
    index("video_calls_verification").on(t.verificationId),
  ],
);

/** Every offer made to an agent and how it ended (accepted, rejected, expired, released). */
export const callOffers = sqliteTable(
  "call_offers",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    callId: text("call_id").notNull(),
    agentId: text("agent_id").notNull(),
    offeredAt: integer("offered_at").notNull(),
    fallback: integer("fallback", { mode: "boolean" }).notNull().default(false),
    outcome: text("outcome"),
    resolvedAt: integer("resolved_at"),
  },
  (t) => [index("call_offers_tenant_offered").on(t.tenantId, t.offeredAt, t.outcome, t.agentId), index("call_offers_call").on(t.callId)],
);

/**
 * Every record meant for the audit log. Written by the producer before it is queued, so a
 * record whose queue message is lost is still found (leaf_index null) and re-queued by the
 * cron sweep. The AuditLog Durable Object owns the leaves; this table owns the record.
 */
export const auditRecords = sqliteTable(
  "audit_records",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    kind: text("kind").notNull(),
    subjectId: text("subject_id").notNull(),
    ownerId: text("owner_id"),
    /** Base64 of the exact leaf input (canonical JSON with its salt). */
    data: text("data").notNull(),
    leafHash: text("leaf_hash").notNull(),
    leafIndex: integer("leaf_index"),
    createdAt: integer("created_at").notNull(),
    loggedAt: integer("logged_at"),
  },
  (t) => [index("audit_records_subject").on(t.subjectId), index("audit_records_unlogged").on(t.leafIndex, t.createdAt)],
);

/** Anchors of signed checkpoint roots on the Thronos chain, one per anchored tree size. */
export const blockchainTransactions = sqliteTable(
  "blockchain_transactions",
  {
    id: text("id").primaryKey(),
    treeSize: integer("tree_size").notNull(),
    rootHash: text("root_hash").notNull(),
    nodeUrl: text("node_url"),
    txId: text("tx_id"),
    status: text("status", { enum: ["pending", "confirmed", "failed"] }).notNull(),
    blockHeight: integer("block_height"),
    attempts: integer("attempts").notNull().default(0),
    error: text("error"),
    createdAt: integer("created_at").notNull(),
    submittedAt: integer("submitted_at"),
    confirmedAt: integer("confirmed_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("blockchain_transactions_tree_size").on(t.treeSize),
    index("blockchain_transactions_tx").on(t.txId),
    index("blockchain_transactions_root").on(t.rootHash),
    index("blockchain_transactions_status").on(t.status, t.createdAt),
  ],
);

/** Direct voice calls (seed 003), written by the tenant's DirectCallDesk through its outbox. */
export const directCalls = sqliteTable(
  "direct_calls",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    callerId: text("caller_id").notNull(),
    calleeId: text("callee_id").notNull(),
    status: text("status").notNull(),
    sessionId: text("session_id"),
    createdAt: integer("created_at").notNull(),
    answeredAt: integer("answered_at"),
    endedAt: integer("ended_at"),
    durationSeconds: integer("duration_seconds"),
    endReason: text("end_reason"),
    seenAt: integer("seen_at"),
  },
  (t) => [index("direct_calls_tenant_created").on(t.tenantId, t.createdAt), index("direct_calls_callee_status").on(t.calleeId, t.status)],
);

/** Optional video-call recordings (tenants opt in), encrypted in R2 like documents. */
export const callRecordings = sqliteTable(
  "call_recordings",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    callId: text("call_id").notNull(),
    objectKey: text("object_key").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("call_recordings_call").on(t.callId)],
);

/** A manager's change of a recorded decision: its own audit record, the agent's stays as it was. */
export const decisionOverrides = sqliteTable(
  "decision_overrides",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    callId: text("call_id").notNull(),
    verificationId: text("verification_id").notNull(),
    managerId: text("manager_id").notNull(),
    previousDecision: text("previous_decision").notNull(),
    decision: text("decision").notNull(),
    reasonCode: text("reason_code"),
    reason: text("reason").notNull(),
    auditRecordId: text("audit_record_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("decision_overrides_call").on(t.tenantId, t.callId, t.createdAt)],
);

/** An agent's skills (issue 17): one row per agent, the skills as a JSON object name → level. */
export const agentSkills = sqliteTable(
  "agent_skills",
  {
    agentId: text("agent_id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    skills: text("skills").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("agent_skills_tenant").on(t.tenantId)],
);

/** A tenant's routing queues (issue 17); calls go to the first that matches, in `position` order. */
export const routingQueues = sqliteTable(
  "routing_queues",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    name: text("name").notNull(),
    position: integer("position").notNull(),
    /** JSON array of skill names a call's requirements must all name. */
    requires: text("requires").notNull(),
    serviceLevelSeconds: integer("service_level_seconds").notNull(),
    relaxAfterSeconds: integer("relax_after_seconds"),
    relaxToAnyAgent: integer("relax_to_any_agent", { mode: "boolean" }).notNull(),
    /** JSON `{days, from, to}` (UTC) or null for always open. */
    workingHours: text("working_hours"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("routing_queues_tenant").on(t.tenantId, t.position)],
);
/**
 * Data keys (worker/lifecycle/keys.ts, the only writer): one AES-256 key per verification that
 * encrypts its documents and recordings, stored only wrapped by the tenant's key of one master
 * key version. Destroying the wrapped key (erasure) makes the R2 bytes unreadable for good. A
 * document sealed before per-verification keys has its own row (`object_id`), adopted at the
 * first rotation from the key inside its envelope, so that the old master key can be retired.
 */
export const dataKeys = sqliteTable(
  "data_keys",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    verificationId: text("verification_id").notNull(),
    /** Set for a legacy envelope's adopted key: the document or recording it opens. */
    objectId: text("object_id"),
    /** Base64 AES-KW wrap of the raw key; null once destroyed. */
    wrappedKey: text("wrapped_key"),
    masterVersion: integer("master_version").notNull(),
    createdAt: integer("created_at").notNull(),
    rotatedAt: integer("rotated_at"),
    destroyedAt: integer("destroyed_at"),
  },
  (t) => [
    index("data_keys_verification").on(t.verificationId),
    uniqueIndex("data_keys_object").on(t.objectId),
    index("data_keys_version").on(t.masterVersion, t.id),
  ],
);

/**
 * A verification's place in the data lifecycle (worker/db/lifecycle.ts): legal hold, the
 * byte purges retention made, and its erasure. One row per verification, made on first need.
 */
export const verificationLifecycle = sqliteTable(
  "verification_lifecycle",
  {
    verificationId: text("verification_id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    legalHoldReason: text("legal_hold_reason"),
    legalHoldBy: text("legal_hold_by"),
    legalHoldAt: integer("legal_hold_at"),
    documentsPurgedAt: integer("documents_purged_at"),
    recordingsPurgedAt: integer("recordings_purged_at"),
    erasedAt: integer("erased_at"),
    erasedBy: text("erased_by"),
    /** "request" (a manager's erasure), "retention" or "abandoned" (the daily cron). */
    erasureBasis: text("erasure_basis"),
    erasureReason: text("erasure_reason"),
    /** The random key of the reason's HMAC in the erasure's audit record (as for override reasons). */
    erasureReasonKey: text("erasure_reason_key"),
    erasureRecordId: text("erasure_record_id"),
  },
  (t) => [index("verification_lifecycle_tenant").on(t.tenantId, t.erasedAt)],
);

/** Per-tenant retention (days after the decision), written only by worker/db/retention.ts. */
export const retentionSettings = sqliteTable("retention_settings", {
  tenantId: text("tenant_id").primaryKey(),
  documentDays: integer("document_days").notNull(),
  recordingDays: integer("recording_days").notNull(),
  personalDataDays: integer("personal_data_days").notNull(),
  abandonedDays: integer("abandoned_days").notNull(),
  updatedBy: text("updated_by"),
  updatedAt: integer("updated_at").notNull(),
});

/** A client app's server-to-server key: only its SHA-256 is stored; the key is shown once. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    name: text("name").notNull(),
    /** The key's first characters, so a manager can tell keys apart without the secret. */
    prefix: text("prefix").notNull(),
    /** Lowercase hex SHA-256 of the whole key (a 256-bit random secret needs no slow hash). */
    keyHash: text("key_hash").notNull(),
    /** JSON array of scopes. */
    scopes: text("scopes").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash").on(t.keyHash), index("api_keys_tenant").on(t.tenantId, t.createdAt)],
);

/**
 * A hosted verification session: a verification a client app started for one of its users,
 * who opens `session_url` without an account. One row per verification; the guest customer
 * that owns the verification is created with it.
 */
export const hostedSessions = sqliteTable(
  "hosted_sessions",
  {
    verificationId: text("verification_id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    apiKeyId: text("api_key_id").notNull(),
    externalRef: text("external_ref").notNull(),
    redirectUrl: text("redirect_url"),
    /** The create request's Idempotency-Key and the SHA-256 of its body (same key, other body: 422). */
    idempotencyKey: text("idempotency_key"),
    requestHash: text("request_hash").notNull(),
    expiresAt: integer("expires_at").notNull(),
    /** The token the link was exchanged for (single-person rule) and when that token expires. */
    claimedJti: text("claimed_jti"),
    claimedUntil: integer("claimed_until"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("hosted_sessions_idempotency").on(t.tenantId, t.idempotencyKey),
    index("hosted_sessions_external_ref").on(t.tenantId, t.externalRef, t.createdAt),
  ],
);

/** A client app's webhook endpoint. The secret signs deliveries, so it is kept (shown once). */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    url: text("url").notNull(),
    /** JSON array of event types. */
    events: text("events").notNull(),
    secret: text("secret").notNull(),
    createdAt: integer("created_at").notNull(),
    deletedAt: integer("deleted_at"),
  },
  (t) => [index("webhook_endpoints_tenant").on(t.tenantId, t.deletedAt)],
);

/** One event for one endpoint: its exact body, and how its attempts went. The id is the
 * Standard Webhooks `webhook-id`, the same on every attempt. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    endpointId: text("endpoint_id").notNull(),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    payload: text("payload").notNull(),
    status: text("status", { enum: ["pending", "delivered", "failed"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    lastAttemptAt: integer("last_attempt_at"),
    nextAttemptAt: integer("next_attempt_at"),
    deliveredAt: integer("delivered_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("webhook_deliveries_endpoint").on(t.endpointId, t.createdAt),
    uniqueIndex("webhook_deliveries_event").on(t.eventId, t.endpointId),
    index("webhook_deliveries_due").on(t.status, t.nextAttemptAt),
  ],
);
