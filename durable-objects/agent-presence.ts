// AgentPresence: one per agent. Takes every heartbeat (the hottest traffic), owns the agent's
// last beat and device, and sends the tenant's QueueCoordinator the whole presence record only
// when the coordinator's copy would be wrong; an alarm at the next deadline notices silence and
// reports stale, then offline. The coordinator's status and load come back as its whole record.
import { errorFields, log } from "../worker/observability/log.ts";
import { AlarmClock } from "./shared/lifecycle.ts";
import { DurableObject } from "cloudflare:workers";
import { configFrom } from "../worker/config.ts";
import {
  afterBeat,
  afterTime,
  agentFactsAt,
  heardFromQueue,
  initialPresence,
  markReported,
  nextPresenceDeadline,
  presenceFacts,
  restoresStatus,
  type Presence,
  type PresenceConfig,
} from "../worker/core/presence.ts";
import { readinessScore, type LoadFacts, type PresenceFacts } from "../worker/core/readiness.ts";

type Identity = { tenantId: string; agentId: string; name: string };

export type HeartbeatReply = { status: string; readiness_score: number; next_heartbeat_seconds: number };
/** What heartbeat statistics show: the presence record now, and today's beats. */
export type PresenceSnapshot = { presence: PresenceFacts; beatsToday: number };

export class AgentPresence extends DurableObject<Env> {
  private readonly alarmClock = new AlarmClock(this.ctx);
  private presence: Presence = initialPresence();
  private identity: Identity | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.presence = { ...initialPresence(), ...(await ctx.storage.get<Presence>("presence")) };
      this.identity = (await ctx.storage.get<Identity>("identity")) ?? null;
    });
  }

  private config(): PresenceConfig {
    const { readiness, queue } = configFrom(this.env);
    return { ...readiness, heartbeatEnabled: queue.features.agentHeartbeat };
  }

  /** Never behind a time this object already reported: an alarm run early (tests) treats its
   * deadline as now, and a later record must not look older than the one before it. */
  private now(): number {
    return Math.max(Date.now(), this.presence.lastBeatAt ?? 0, this.presence.reported?.at ?? 0);
  }

  private async save(next: Presence) {
    this.presence = next;
    await this.ctx.storage.put("presence", next);
    await this.alarmClock.setEarliest(nextPresenceDeadline(next, this.config()));
  }

  private coordinator() {
    return this.env.QUEUE_COORDINATOR.getByName(this.identity!.tenantId);
  }

  /** Tells the coordinator; only an acknowledged report is marked as told. Throws on failure. */
  private async report(report: PresenceFacts) {
    const { agentId, name } = this.identity!;
    const load = await this.coordinator().presenceChanged({ agentId, name, presence: report });
    await this.save(markReported(heardFromQueue(this.presence, load), report));
  }

  /** One heartbeat; `currentStatus` is the status the agent's dashboard believes it has. */
  async beat(input: Identity & { deviceConnected: boolean; currentStatus?: LoadFacts["status"] }): Promise<HeartbeatReply> {
    if (!this.identity || this.identity.name !== input.name) {
      this.identity = { tenantId: input.tenantId, agentId: input.agentId, name: input.name };
      await this.ctx.storage.put("identity", this.identity);
    }
    const now = this.now();
    const config = this.config();
    // Decided before the beat: a dashboard back from a network gap restores its status.
    const restore = restoresStatus(this.presence, input.currentStatus);
    const { next, report } = afterBeat(this.presence, input.deviceConnected, now, config);
    await this.save(next);
    if (report) {
      try {
        await this.report(report);
      } catch (err) {
        // Not marked as told, so the next beat reports it again; the beat itself still counts.
        log("warn", "presence_report_failed", { agent_id: input.agentId, ...errorFields(err) });
      }
    }
    if (restore && input.currentStatus) {
      const agent = await this.coordinator().setAgentStatus({ agentId: input.agentId, name: input.name, status: input.currentStatus });
      if (agent.ok) await this.heardFromQueue(agent.value.load);
    }
    return {
      status: this.presence.queue.status,
      readiness_score: readinessScore(agentFactsAt(this.presence, now, config), now, config),
      next_heartbeat_seconds: config.heartbeatIntervalSeconds,
    };
  }

  /** The coordinator's half of the agent's facts (status and load), for readiness replies. */
  async heardFromQueue(load: LoadFacts) {
    this.presence = heardFromQueue(this.presence, load);
    await this.ctx.storage.put("presence", this.presence);
  }

  /** The presence record as of now, for heartbeat statistics and dashboards. */
  async snapshot(): Promise<PresenceSnapshot> {
    return { presence: presenceFacts(this.presence, this.now(), this.config()), beatsToday: this.presence.beatsToday };
  }

  /** Midnight reset of the daily beat counter. */
  async resetDaily() {
    await this.save({ ...this.presence, beatsToday: 0 });
  }

  override async alarm() {
    if (!this.identity) return;
    // Beats wait until the queue has acknowledged this report: one that came in while it was in
    // flight would decide against the record from before it (whether to restore the status, what
    // to report) and a dashboard beating just as the agent went offline would stay offline.
    const failed = await this.ctx.blockConcurrencyWhile(async () => {
      try {
        const report = afterTime(this.presence, Math.max(this.now(), this.alarmClock.firedAt()), this.config());
        if (report) await this.report(report);
        else await this.save(this.presence);
        return null;
      } catch (err) {
        // Not thrown here: a throw inside blockConcurrencyWhile resets the object.
        return err;
      }
    });
    // A failed report throws, and the runtime retries the alarm.
    if (failed) throw failed;
  }
}
