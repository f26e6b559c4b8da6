// QueueCoordinator: one per tenant. The single writer of the tenant's live queue, offers,
// agent capacity and agent/manager/customer sockets. Every method is the same thin shell:
// run the pure engine (worker/core/queue), persist what changed together with its D1
// outbox, send the resulting messages, set the alarm for the next deadline.
import { errorFields, log } from "../../worker/observability/log.ts";
import { DurableObject } from "cloudflare:workers";
import { configFrom, type Config } from "../../worker/config.ts";
import { videoDeskPresence, type Elsewhere } from "../../worker/core/direct-calls.ts";
import type { LiveFigures } from "../../worker/core/metrics.ts";
import { levelOf, type PriorityWord } from "../../worker/core/priority.ts";
import {
  accept,
  activeCalls,
  agentView,
  alreadyClosed,
  assign,
  bestAgentFor,
  changedLoads,
  cancel,
  complete,
  completionReplay,
  dailyReset,
  dashboardMessagesFor,
  dashboardSnapshot,
  enqueue,
  factsOf,
  finishedCallView,
  liveCallView,
  liveQueueFigures,
  liveFigures,
  loadOf,
  newAgent,
  nextDeadline,
  notificationsFor,
  pendingInOrder,
  pendingList,
  presenceChanged,
  projectEvents,
  queueSummary,
  readCoordinatorFrame,
  reject,
  roomSessionsOf,
  runCommand,
  setAgentSkills,
  setAgentStatus,
  setSkillsOfAll,
  socketTag,
  staffGreeting,
  start,
  verificationClosed,
  verificationQueuedOp,
  waitingRoomGreeting,
  type Actor,
  type Agent,
  type AgentStatus,
  type AssignmentStrategy,
  type CallOutcome,
  type DashboardSnapshot,
  type DocumentBrief,
  type FlatRecord,
  type LiveQueueFigures,
  type Outcome,
  type Outgoing,
  type PendingList,
  type QueueConfig,
  type QueueState,
  type QueueTx,
  type Requirement,
  type RoutingQueue,
  type Skills,
  type StaffCommand,
  type Transition,
} from "../../worker/core/queue/index.ts";
import type { LoadFacts, PresenceFacts } from "../../worker/core/readiness.ts";
import { database } from "../../worker/db/client.ts";
import { tenantSettings } from "../../worker/db/tenants.ts";
import { newId } from "../../worker/ids.ts";
import type { D1Op } from "../../worker/outbox/ops.ts";
import type { AgentView, CallView, QueueSummary, StaffServerMessage, WaitingRoomMessage } from "../../worker/schemas/messages.ts";
import type { SessionEndReason, SocketPrincipal } from "../../worker/sockets/protocol.ts";
import { AlarmClock, answerClose, upgradePrincipal } from "../shared/lifecycle.ts";
import { Outbox } from "../shared/outbox.ts";
import {
  acceptSocket,
  closeExpiredSockets,
  closeSessionSockets,
  MAX_CONTROL_FRAME_BYTES,
  nextSocketExpiry,
  parseFrame,
  refusedFrame,
  sendTo,
  sendToTag,
} from "../shared/sockets.ts";
import { DashboardFeed } from "./dashboard-feed.ts";
import { RoutingCopy } from "./routing-copy.ts";
import { StaffStream } from "./staff-stream.ts";
import { CoordinatorStore } from "./storage.ts";
import type { PendingListMessage } from "../../worker/core/queue/staff-digest.ts";

const FINISHED_RETENTION_MS = 7 * 24 * 3600 * 1000;

export class QueueCoordinator extends DurableObject<Env> {
  private store: CoordinatorStore;
  private state!: QueueState;
  private config: Config;
  /** Monotonic clock: never behind the last alarm's deadline (see alarm()). */
  private clock = 0;
  private outbox: Outbox;
  /** Dashboards listen through the tenant's DashboardHub; this only publishes to it. */
  private dashboards: DashboardFeed;
  private readonly alarmClock: AlarmClock;
  /** Pending lists, queue summary and customers' places, coalesced (staff-stream.ts). */
  private staffStream: StaffStream;
  /** The tenant's queues and skills as D1 last handed them over (issue 17). */
  private routing: RoutingCopy;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.config = configFrom(env);
    this.store = new CoordinatorStore(ctx.storage.sql);
    this.routing = new RoutingCopy(this.store);
    this.outbox = new Outbox(ctx.storage.sql);
    this.alarmClock = new AlarmClock(ctx);
    this.staffStream = new StaffStream(ctx, () => ({ state: this.state, now: this.now() }), this.config.staffDigestIntervalMs);
    this.dashboards = new DashboardFeed(
      () => {
        const tenantId = this.store.meta("tenant");
        return tenantId ? this.env.DASHBOARD_HUB.getByName(tenantId) : null;
      },
      () => liveFigures(this.state, this.now()),
    );
    ctx.blockConcurrencyWhile(async () => {
      this.state = this.store.loadState();
      this.staffStream.wake(this.state);
      this.clock = Number(this.store.meta("clock") ?? 0);
    });
    // Idle sockets ping without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
  }

  private now(): number {
    this.clock = Math.max(this.clock, Date.now());
    return this.clock;
  }

  private queueConfig(): QueueConfig {
    return {
      ...this.config.queue,
      strategy: (this.store.meta("strategy") as AssignmentStrategy | null) ?? "score",
      queues: this.routing.queues,
    };
  }

  /** Runs one engine command end to end; `extraOps` adds D1 writes the command's caller needs, and
   * `finished` the result a successful command's finished call keeps (both stored in the same
   * transaction as the state change). */
  private run<T>(
    command: (tx: QueueTx) => Outcome<T>,
    extraOps: (t: Transition<T>) => D1Op[] = () => [],
    finished?: { callId: string; result: FlatRecord },
  ): Transition<T> {
    const before = this.state;
    const now = this.now();
    const t = runCommand(before, now, this.queueConfig(), command);
    const ops = [...projectEvents(t.events), ...(t.outcome.ok ? extraOps(t) : [])];
    this.ctx.storage.transactionSync(() => {
      this.store.saveChanges(t.state, t);
      for (const e of t.events) {
        if (e.type !== "finished") continue;
        const result = t.outcome.ok && finished?.callId === e.call.id ? finished.result : null;
        this.store.saveFinished(e.call.id, finishedCallView(e.call, e.status, e.endedAt, e.reason, e.outcome), e.endedAt, result);
      }
      this.outbox.add(ops);
      this.store.setMeta("clock", String(now));
    });
    this.state = t.state;
    this.deliver(notificationsFor(t.events, t.state, { now, readiness: this.config.readiness }), t.events.length > 0);
    this.publishToDashboards(before, t, now);
    this.syncPresence(before, t, now);
    this.closeRooms(t);
    this.ctx.waitUntil(this.afterChange());
    return t;
  }

  private async afterChange() {
    // The state's deadlines are armed before the flush: a slow D1, or a crash while it answers,
    // must not hold back an offer's expiry. The outbox retry is known once the flush ended.
    await this.scheduleAlarm({ outboxRetry: false });
    await this.flushOutbox();
    // Only rows the flush left behind add a deadline (the retry); otherwise the alarm is right.
    if (this.outbox.retryAt() !== null) await this.scheduleAlarm();
  }

  /** Sends to whom it concerns now; managers (a few, watching every call) hear pending-list
   * changes at once too, agents through the coalesced stream. */
  private deliver(messages: Outgoing[], changed: boolean) {
    const pendingList: PendingListMessage[] = [];
    for (const out of messages) {
      if (out.to.kind === "staff") pendingList.push(out.message as PendingListMessage);
      sendToTag(this.ctx, out.to.kind === "staff" ? "managers" : socketTag(out.to), out.message);
    }
    this.staffStream.add(pendingList, changed);
  }

  /** Tells AgentPresence objects the status and load that their readiness replies need: the
   * whole half, stamped with this object's clock, whenever any of it changed. */
  private syncPresence(before: QueueState, t: Transition<unknown>, now: number) {
    const tenantId = this.store.meta("tenant");
    if (!tenantId) return;
    for (const [id, load] of changedLoads(before, t.state, t.changedAgents, now)) {
      this.ctx.waitUntil(
        this.env.AGENT_PRESENCE.getByName(`${tenantId}:${id}`)
          .heardFromQueue(load)
          .catch((err: unknown) => log("warn", "presence_sync_failed", { agent_id: id, ...errorFields(err) })),
      );
    }
  }

  /** A call that ended for any reason (completed, cancelled, timed out) ends its room too. */
  private closeRooms(t: Transition<unknown>) {
    for (const e of t.events) {
      if (e.type !== "finished" || !e.call.sessionId) continue;
      this.ctx.waitUntil(
        this.env.CALL_ROOM.getByName(e.call.sessionId)
          .end(e.status === "completed" ? "completed" : e.reason)
          .then(() => undefined)
          .catch((err: unknown) => log("warn", "room_end_failed", { call_id: e.call.id, ...errorFields(err) })),
      );
    }
  }

  private result<T, R>(t: Transition<T>, map: (value: T) => R): Outcome<R> {
    return t.outcome.ok ? { ok: true, value: map(t.outcome.value) } : { ok: false, error: t.outcome.error };
  }

  /** Notes the tenant on first contact and, if this object has no strategy yet, takes the one
   * the tenant's settings hold (D1 owns the settings; this object keeps the copy dispatch uses). */
  private async remember(tenantId: string) {
    // Also for an object that knew its tenant before routing existed (issue 17): once.
    if (!this.routing.loaded) {
      const skills = await this.routing.load(this.env.DB, tenantId);
      if (skills.length) this.run((tx) => setSkillsOfAll(tx, skills));
    }
    if (this.store.meta("tenant") === tenantId) return;
    this.store.setMeta("tenant", tenantId);
    if (this.store.meta("strategy") === null) {
      const settings = await tenantSettings(database(this.env.DB), tenantId);
      this.store.setMeta("strategy", settings.assignment_strategy);
    }
  }

  private view(callId: string): CallView | null {
    return liveCallView(this.state, callId, this.now()) ?? this.store.finished(callId)?.view ?? null;
  }

  // ---- alarm: deadlines and outbox retries ------------------------------------------------

  private async scheduleAlarm({ outboxRetry = true } = {}) {
    await this.alarmClock.setEarliest(
      nextDeadline(this.state, this.queueConfig()),
      outboxRetry ? this.outbox.retryAt() : null,
      nextSocketExpiry(this.ctx),
    );
  }

  override async alarm() {
    this.clock = Math.max(this.clock, this.alarmClock.firedAt());
    closeExpiredSockets(this.ctx, this.clock);
    this.run(() => ({ ok: true, value: null }));
    await this.flushOutbox();
    await this.scheduleAlarm();
  }

  /** Closes a session's sockets (sign-out) or a user's (account disabled); names the rooms of
   * the user's live calls so the caller closes those too. */
  async closeSockets(
    match: { userId: string; sessionId?: string },
    reason: SessionEndReason,
  ): Promise<{ closed: number; roomSessions: string[] }> {
    return { closed: closeSessionSockets(this.ctx, match, reason), roomSessions: roomSessionsOf(this.state, match.userId) };
  }

  /** Drains the outbox to D1 (tests call it to make the D1 record current). */
  async flushOutbox(): Promise<void> {
    await this.outbox.flush(this.env);
  }

  // ---- commands ---------------------------------------------------------------------------

  /** Adds a call; the reply carries its place and estimated wait. */
  async enqueue(input: {
    tenantId: string;
    callId: string;
    verificationId: string;
    customerId: string;
    userName: string;
    priority: PriorityWord;
    fraudScore: number | null;
    documents: DocumentBrief[];
    requirements?: Requirement[];
    derivedRequirements?: Requirement[];
  }): Promise<Outcome<CallView>> {
    await this.remember(input.tenantId);
    const closed = verificationClosed(this.store.decisionFor(input.verificationId));
    if (closed) return closed;
    const t = this.run(
      (tx) =>
        enqueue(tx, {
          id: input.callId,
          tenantId: input.tenantId,
          verificationId: input.verificationId,
          customerId: input.customerId,
          userName: input.userName,
          priority: levelOf(input.priority),
          fraudScore: input.fraudScore,
          documents: input.documents,
          requirements: input.requirements ?? [],
          derivedRequirements: input.derivedRequirements ?? [],
        }),
      (tr) => [verificationQueuedOp(input.verificationId, input.callId, tr.state.calls.get(input.callId)?.enqueuedAt ?? this.clock)],
    );
    // Callers read the verification right after queueing it: write D1 before answering.
    if (t.outcome.ok) await this.outbox.flush(this.env);
    return this.result(t, (call) => this.view(call.id)!);
  }

  /** The pending list (API.md), optionally from a minimum priority, plus the caller's active calls. */
  async pending(input: { limit: number; priorityMin?: PriorityWord; agentId: string }): Promise<PendingList> {
    const { priorityMin, ...rest } = input;
    return pendingList(this.state, this.now(), { ...rest, ...(priorityMin ? { priorityMin: levelOf(priorityMin) } : {}) });
  }

  /** A live call, or one that finished recently; null when unknown here. */
  async getCall(callId: string): Promise<CallView | null> {
    return this.view(callId);
  }

  /** 409 for an action on a call that already left the queue (404 stays for unknown ids). */
  private closed(callId: string): Outcome<never> | null {
    return this.state.calls.has(callId) ? null : alreadyClosed(this.store.finished(callId));
  }

  async accept(input: { callId: string; agentId: string; name: string }): Promise<Outcome<CallView>> {
    const closed = this.closed(input.callId);
    if (closed) return closed;
    const t = this.run((tx) => accept(tx, { ...input, sessionId: newId() }));
    return this.result(t, (call) => this.view(call.id)!);
  }

  async reject(input: { callId: string; agentId: string }): Promise<Outcome<CallView>> {
    const closed = this.closed(input.callId);
    if (closed) return closed;
    const t = this.run((tx) => reject(tx, input));
    return this.result(t, (call) => this.view(call.id)!);
  }

  async assign(input: { callId: string; agent?: { id: string; name: string } }): Promise<Outcome<CallView>> {
    const closed = this.closed(input.callId);
    if (closed) return closed;
    const t = this.run((tx) => assign(tx, { ...input, sessionId: newId() }, bestAgentFor));
    return this.result(t, (call) => this.view(call.id)!);
  }

  async start(input: { callId: string; actor: Actor; customer: boolean }): Promise<Outcome<CallView>> {
    const closed = this.closed(input.callId);
    if (closed) return closed;
    const t = this.run((tx) => start(tx, input));
    return this.result(t, (call) => this.view(call.id)!);
  }

  /** Completes a call; retried completions return the first result unchanged. */
  async complete(input: {
    callId: string;
    actor: Actor;
    durationSeconds?: number;
    /** The decision, for the finished call's record and the messages that announce it. */
    outcome?: CallOutcome;
    result?: FlatRecord;
    /** D1 writes that record the decision, stored with the completion in one transaction. */
    ops?: D1Op[];
  }): Promise<Outcome<{ call: CallView; result: FlatRecord | null; repeated: boolean }>> {
    const done = this.store.finished(input.callId);
    if (done && !this.state.calls.has(input.callId)) return completionReplay<FlatRecord>(done);
    // The result is saved with the finished call in the completion's own transaction: a retry
    // (even after an eviction) finds both or neither.
    const t = this.run(
      (tx) => complete(tx, input),
      () => input.ops ?? [],
      input.result !== undefined ? { callId: input.callId, result: input.result } : undefined,
    );
    if (!t.outcome.ok) return { ok: false, error: t.outcome.error };
    const finished = this.store.finished(input.callId)!;
    return { ok: true, value: { call: finished.view, result: input.result ?? null, repeated: false } };
  }

  async cancel(input: { callId: string; actor: Actor }): Promise<Outcome<CallView>> {
    const closed = this.closed(input.callId);
    if (closed) return closed;
    const t = this.run((tx) => cancel(tx, input));
    return this.result(t, () => this.store.finished(input.callId)!.view);
  }

  async setAgentStatus(input: {
    tenantId?: string;
    agentId: string;
    name: string;
    status: AgentStatus;
    maxCalls?: number;
  }): Promise<Outcome<{ load: LoadFacts; agent: AgentView }>> {
    if (input.tenantId) await this.remember(input.tenantId);
    const t = this.run((tx) => setAgentStatus(tx, input));
    return this.result(t, (agent) => ({ load: loadOf(agent, this.clock), agent: this.agentView(agent) }));
  }

  /** AgentPresence's whole record of the agent's heartbeat and device, sent when it changed;
   * the reply is this object's half, for presence's readiness replies. */
  async presenceChanged(input: { agentId: string; name: string; presence: PresenceFacts }): Promise<LoadFacts> {
    const t = this.run((tx) => presenceChanged(tx, input));
    return loadOf(t.state.agents.get(input.agentId)!, this.clock);
  }

  private agentView(agent: Agent): AgentView {
    return agentView(agent, this.now(), this.config.readiness);
  }

  /** Availability of the given agents (every agent of the tenant, known here or not). */
  async availability(agents: Array<{ id: string; name: string }>): Promise<AgentView[]> {
    return agents.map(({ id, name }) => {
      const known = this.state.agents.get(id);
      return this.agentView(known ?? newAgent(id, name, this.now()));
    });
  }

  /** Where the video desk places an agent for direct calls: present (a staff socket open, or a
   * heartbeat not yet gone) and whether a video call keeps them busy. */
  async reachability(agent: { id: string; name: string }): Promise<Elsewhere> {
    const now = this.now();
    const known = this.state.agents.get(agent.id) ?? newAgent(agent.id, agent.name, now);
    const socketOpen = this.ctx.getWebSockets(`user:${agent.id}`).length > 0;
    return videoDeskPresence(factsOf(known, now), socketOpen, this.config.queue.features);
  }

  /** Counters and summaries for dashboards and heartbeat statistics. */
  async summary(): Promise<{ queue: QueueSummary; counters: QueueState["counters"]; agents: AgentView[]; strategy: AssignmentStrategy }> {
    return {
      queue: queueSummary(this.state, this.now()),
      counters: this.state.counters,
      agents: [...this.state.agents.values()].map((a) => this.agentView(a)),
      strategy: this.queueConfig().strategy,
    };
  }

  /** A manager set an agent's skills (D1 saved them first); offers they no longer meet return. */
  async setAgentSkills(input: { tenantId: string; agentId: string; name: string; skills: Skills }): Promise<AgentView> {
    await this.remember(input.tenantId);
    const t = this.run((tx) => setAgentSkills(tx, input));
    return this.agentView(t.state.agents.get(input.agentId)!);
  }

  /** The tenant's whole set of routing queues after a change in D1; calls waiting in a queue
   * that is gone move on to the first they match (worker/core/queue/routing.ts). */
  async configureQueues(input: { queues: RoutingQueue[] }) {
    this.routing.keep(input.queues);
    this.run(() => ({ ok: true, value: null }));
  }

  /** Each queue's live figures (waiting, longest wait, calls no online agent can meet). */
  async queueFigures(tenantId: string): Promise<LiveQueueFigures[]> {
    await this.remember(tenantId);
    return liveQueueFigures(this.state, this.queueConfig(), this.now());
  }

  async configure(input: { tenantId: string; strategy: AssignmentStrategy }) {
    await this.remember(input.tenantId);
    this.store.setMeta("strategy", input.strategy);
    this.run(() => ({ ok: true, value: null }));
  }

  /** Cron: daily counters start again; old finished calls are forgotten here (D1 keeps them). */
  async dailyReset(): Promise<number> {
    const t = this.run(dailyReset);
    this.store.pruneFinished(Date.now() - FINISHED_RETENTION_MS);
    return t.outcome.ok ? t.outcome.value : 0;
  }

  /** Cron: catch up on anything due and retry the outbox, even if no alarm was set. */
  async sweep(): Promise<{ pending: number; outbox: number }> {
    this.run(() => ({ ok: true, value: null }));
    await this.flushOutbox();
    await this.scheduleAlarm();
    return { pending: pendingInOrder(this.state.calls.values()).length, outbox: this.outbox.size() };
  }

  // ---- dashboards -------------------------------------------------------------------------

  /** Hands a transition's dashboard messages to the hub off the request path; the cost is the
   * same however many dashboards are connected, and nothing at all when none is. */
  private publishToDashboards(before: QueueState, t: Transition<unknown>, now: number) {
    if (t.events.length === 0 || !this.dashboards.listening) return;
    const sending = this.dashboards.publish(dashboardMessagesFor(t.events, before, t.state, now, this.config.readiness), now);
    if (sending) this.ctx.waitUntil(sending);
  }

  /** What a dashboard opens with (D1 brought up to date first for the history beside it); from
   * now on the hub hears every change after the snapshot's `seq`. */
  async dashboardSnapshot(tenantId: string): Promise<DashboardSnapshot> {
    await this.remember(tenantId);
    await this.outbox.flush(this.env);
    const now = this.now();
    return dashboardSnapshot(this.state, now, this.config.readiness, this.dashboards.listen(now));
  }

  /** Live figures and active calls, with D1 brought up to date first for the history beside them. */
  async dashboardLive(): Promise<{ live: LiveFigures; activeCalls: CallView[] }> {
    await this.outbox.flush(this.env);
    const now = this.now();
    return { live: liveFigures(this.state, now), activeCalls: activeCalls(this.state, now) };
  }

  // ---- sockets ----------------------------------------------------------------------------

  override async fetch(request: Request): Promise<Response> {
    const principal = upgradePrincipal<SocketPrincipal>(request);
    // Dashboards connect to the tenant's DashboardHub, never here.
    if (!principal || principal.kind === "dashboard") return new Response("expected an authenticated WebSocket upgrade", { status: 400 });
    await this.remember(principal.tenantId);
    const now = this.now();
    // The greeting is a snapshot: what the stream still holds goes first, so nothing the new
    // socket lists is announced to it again, or missed.
    this.staffStream.flush();
    if (principal.kind === "waiting-room") {
      const callId = principal.callId!;
      const { response, socket } = acceptSocket(this.ctx, request, [`call:${callId}`], principal);
      for (const m of waitingRoomGreeting(this.state, now, callId, this.store.finished(callId)))
        sendTo(socket, m satisfies WaitingRoomMessage);
      await this.scheduleAlarm();
      return response;
    }
    const tags = ["staff", `user:${principal.userId}`, principal.manager ? "managers" : "agents"];
    const { response, socket } = acceptSocket(this.ctx, request, tags, principal);
    for (const m of staffGreeting(this.state, now, principal, this.config.readiness)) sendTo(socket, m satisfies StaffServerMessage);
    await this.scheduleAlarm();
    return response;
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    const refused = refusedFrame(message, MAX_CONTROL_FRAME_BYTES);
    if (refused) return sendTo(ws, refused);
    const principal = ws.deserializeAttachment() as SocketPrincipal & { kind: "staff" | "waiting-room" };
    const reading = readCoordinatorFrame(parseFrame(message), principal);
    if (reading.kind === "reply") return sendTo(ws, reading.reply);
    const reply = await this.answer(principal, reading.command);
    if (reply) sendTo(ws, reply satisfies StaffServerMessage);
  }

  /** A staff socket's command, run as the REST route would run it; the reply (an ack or the
   * contract error), or null when the queue's own messages answer it. */
  private async answer(who: SocketPrincipal, command: StaffCommand): Promise<StaffServerMessage | null> {
    const refusal = (r: Outcome<unknown>): StaffServerMessage | null =>
      r.ok ? null : { type: "error", code: r.error.code, message: r.error.message, request_type: command.type };
    switch (command.type) {
      case "heartbeat": {
        const reply = await this.env.AGENT_PRESENCE.getByName(`${who.tenantId}:${who.userId}`).beat({
          tenantId: who.tenantId,
          agentId: who.userId,
          name: who.name,
          deviceConnected: command.device_connected,
        });
        return { type: "heartbeat_ack", ...reply };
      }
      case "status_update":
        return refusal(await this.setAgentStatus({ agentId: who.userId, name: who.name, status: command.status }));
      case "accept":
        return refusal(await this.accept({ callId: command.call_id, agentId: who.userId, name: who.name }));
      case "reject":
        return refusal(await this.reject({ callId: command.call_id, agentId: who.userId }));
    }
  }

  override async webSocketClose(ws: WebSocket, code: number) {
    answerClose(ws, code);
  }
}
