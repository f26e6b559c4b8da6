// DashboardHub: one per tenant. Owns the manager dashboards' sockets (API.md "Real-time
// dashboard"): their subscriptions, initial state, metrics pushes and D1 history reads, so
// that no dashboard costs the queue coordinator anything. The coordinator publishes each
// change here, one batch at a time and in order; the hub serializes every message once and
// sends the same text to each socket that hears it.
import { errorFields, log } from "../worker/observability/log.ts";
import { DurableObject } from "cloudflare:workers";
import { configFrom } from "../worker/config.ts";
import { metricsPushDelay, type DashboardBatch, type DashboardSnapshot } from "../worker/core/queue/dashboard-events.ts";
import type { LiveFigures } from "../worker/core/metrics.ts";
import { combine, history } from "../worker/dashboard/metrics.ts";
import { recentCalls } from "../worker/dashboard/recent.ts";
import { Subscribers, type Send, type Subscription } from "../worker/dashboard/subscribers.ts";
import {
  DASHBOARD_STREAMS,
  DashboardClientMessage,
  type DashboardServerMessage,
  type DashboardStream,
} from "../worker/schemas/messages.ts";
import type { SessionEndReason, SocketPrincipal } from "../worker/sockets/protocol.ts";
import { AlarmClock, answerClose, upgradePrincipal } from "./shared/lifecycle.ts";
import {
  acceptSocket,
  closeExpiredSockets,
  closeSessionSockets,
  MAX_CONTROL_FRAME_BYTES,
  nextSocketExpiry,
  parseFrame,
  refusedFrame,
  sendTo,
} from "./shared/sockets.ts";

const TENANT = "tenant";
const RECENT_CALLS = 10;

type DashboardAttachment = SocketPrincipal & Subscription;

const sendText: Send<WebSocket> = (ws, text) => {
  try {
    ws.send(text);
    return true;
  } catch {
    // Closed meanwhile; its close handler may not come.
    return false;
  }
};

export class DashboardHub extends DurableObject<Env> {
  private readonly alarmClock = new AlarmClock(this.ctx);
  private readonly subscribers = new Subscribers<WebSocket>();
  private readonly serviceLevelSeconds: number;
  /** The coordinator's live figures as of its publication `seq`, for metrics pushes. */
  private live: { seq: number; figures: LiveFigures } | null = null;
  private metricsTimer: ReturnType<typeof setTimeout> | null = null;
  private lastMetricsPush: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.serviceLevelSeconds = configFrom(env).serviceLevelSeconds;
    // Woken from hibernation: the sockets are still there, their subscriptions in attachments.
    for (const ws of ctx.getWebSockets()) {
      const { streams, hours } = ws.deserializeAttachment() as DashboardAttachment;
      this.subscribers.add(ws, { streams, hours }, true);
    }
    // Idle sockets ping without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
  }

  private tenant(): string | null {
    return this.ctx.storage.kv.get<string>(TENANT) ?? null;
  }

  private coordinator(tenantId: string) {
    return this.env.QUEUE_COORDINATOR.getByName(tenantId);
  }

  // ---- the coordinator's side ---------------------------------------------------------------

  /** The coordinator's changes since its last publish, in order; the answer tells it whether
   * anyone listens (when nobody does, it stops publishing until a dashboard connects). */
  async publish(batch: DashboardBatch): Promise<{ listening: boolean }> {
    for (const { stream, seq, message } of batch.messages) this.subscribers.publish(stream, seq, JSON.stringify(message), sendText);
    this.live = { seq: batch.seq, figures: batch.live };
    this.scheduleMetricsPush();
    return { listening: this.subscribers.size > 0 };
  }

  /** Metrics go out at most every two seconds however busy the queue is. */
  private scheduleMetricsPush() {
    if (this.metricsTimer || !this.subscribers.hears("metrics")) return;
    this.metricsTimer = setTimeout(
      () => {
        this.metricsTimer = null;
        this.lastMetricsPush = Date.now();
        this.ctx.waitUntil(this.pushMetrics().catch((err: unknown) => log("warn", "dashboard_metrics_failed", errorFields(err))));
      },
      metricsPushDelay(this.lastMetricsPush, Date.now()),
    );
  }

  /** One metrics computation per distinct period, sent as one text to every socket on it. */
  private async pushMetrics() {
    const tenantId = this.tenant();
    if (!tenantId || !this.live) return;
    // The history must include the changes being announced: they reach D1 through the
    // coordinator's outbox.
    await this.coordinator(tenantId).flushOutbox();
    const timestamp = new Date().toISOString();
    for (const hours of this.subscribers.periods("metrics")) {
      const past = await history(this.env.DB, tenantId, hours, this.serviceLevelSeconds);
      const { seq, figures } = this.live;
      const metrics = combine(past, figures, hours, this.serviceLevelSeconds);
      const message: DashboardServerMessage = { type: "metrics_update", metrics, timestamp };
      this.subscribers.publish("metrics", seq, JSON.stringify(message), sendText, hours);
    }
  }

  // ---- sockets --------------------------------------------------------------------------------

  override async fetch(request: Request): Promise<Response> {
    const principal = upgradePrincipal<SocketPrincipal>(request);
    if (principal?.kind !== "dashboard") {
      return new Response("expected an authenticated dashboard WebSocket upgrade", { status: 400 });
    }
    if (this.tenant() !== principal.tenantId) this.ctx.storage.kv.put(TENANT, principal.tenantId);
    const subscription: Subscription = { streams: principal.streams ?? [...DASHBOARD_STREAMS], hours: principal.hours ?? 24 };
    const { response, socket } = acceptSocket(this.ctx, request, ["dashboard"], {
      ...principal,
      ...subscription,
    } satisfies DashboardAttachment);
    this.subscribers.add(socket, subscription);
    sendTo(socket, {
      type: "connected",
      user_id: principal.userId,
      streams: subscription.streams,
      server_time: new Date().toISOString(),
    } satisfies DashboardServerMessage);
    try {
      await this.sendInitialState(socket, principal.tenantId, subscription.hours);
    } catch (err) {
      this.subscribers.remove(socket);
      socket.close(1011, "initial state unavailable");
      throw err;
    }
    await this.scheduleAlarm();
    return response;
  }

  /** The coordinator's live snapshot plus D1's recent calls and history; then whatever changed
   * after the snapshot, in order. */
  private async sendInitialState(socket: WebSocket, tenantId: string, hours: number) {
    const snapshot: DashboardSnapshot = await this.coordinator(tenantId).dashboardSnapshot(tenantId);
    const [past, recent] = await Promise.all([
      history(this.env.DB, tenantId, hours, this.serviceLevelSeconds),
      recentCalls(this.env.DB, tenantId, RECENT_CALLS),
    ]);
    const metrics = combine(past, snapshot.live, hours, this.serviceLevelSeconds);
    sendTo(socket, {
      type: "initial_state",
      active_calls: snapshot.activeCalls,
      metrics,
      recent_calls: recent,
      outcome_distribution: metrics.outcome_counts,
      queue: snapshot.queue,
      agents: snapshot.agents,
      timestamp: new Date(snapshot.now).toISOString(),
    } satisfies DashboardServerMessage);
    this.subscribers.live(socket, snapshot.seq, sendText);
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    const refused = refusedFrame(message, MAX_CONTROL_FRAME_BYTES);
    if (refused) return sendTo(ws, refused);
    const frame = parseFrame(message);
    const parsed = DashboardClientMessage.safeParse(frame);
    if (!parsed.success) {
      return sendTo(ws, {
        type: "error",
        code: frame === null ? "invalid_json" : "invalid_message",
        message: "Send subscribe or unsubscribe with a stream (metrics, calls, agents), or ping.",
      } satisfies DashboardServerMessage);
    }
    const msg = parsed.data;
    if (msg.type === "ping") return sendTo(ws, { type: "pong" } satisfies DashboardServerMessage);
    const attachment = ws.deserializeAttachment() as DashboardAttachment;
    const current = new Set<DashboardStream>(attachment.streams);
    if (msg.type === "subscribe") current.add(msg.stream);
    else current.delete(msg.stream);
    const streams = DASHBOARD_STREAMS.filter((s) => current.has(s));
    ws.serializeAttachment({ ...attachment, streams } satisfies DashboardAttachment);
    if (!this.subscribers.setStreams(ws, streams)) this.subscribers.add(ws, { streams, hours: attachment.hours }, true);
    sendTo(ws, { type: "subscribed", streams } satisfies DashboardServerMessage);
  }

  override async webSocketClose(ws: WebSocket, code: number) {
    this.subscribers.remove(ws);
    answerClose(ws, code);
  }

  override async webSocketError(ws: WebSocket) {
    this.subscribers.remove(ws);
  }

  // ---- sessions: sign-out, disabled accounts, expired tokens ----------------------------------

  /** Closes a session's dashboards (sign-out) or a user's (account disabled). */
  async closeSockets(match: { userId: string; sessionId?: string }, reason: SessionEndReason): Promise<number> {
    const closed = closeSessionSockets(this.ctx, match, reason);
    this.forgetClosed();
    return closed;
  }

  /** Closed sockets may never report their close; stop counting them as listeners. */
  private forgetClosed() {
    this.subscribers.retain((ws) => ws.readyState === WebSocket.OPEN);
  }

  private async scheduleAlarm() {
    await this.alarmClock.setEarliest(nextSocketExpiry(this.ctx));
  }

  /** The earliest token expiry came: close those dashboards. */
  override async alarm() {
    closeExpiredSockets(this.ctx, this.alarmClock.firedAt());
    this.forgetClosed();
    await this.scheduleAlarm();
  }
}
