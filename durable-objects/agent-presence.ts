// AgentPresence: one per agent. Takes every heartbeat (the hottest traffic), keeps the
// agent's device and freshness, and tells the tenant's QueueCoordinator only about changes;
// an alarm at the next freshness deadline notices silence and reports stale, then offline.
import { DurableObject } from "cloudflare:workers";
import { configFrom } from "../worker/config.ts";
import {
  afterBeat,
  afterTime,
  initialPresence,
  markReported,
  nextPresenceDeadline,
  presenceReadiness,
  restoresStatus,
  type Presence,
  type PresenceConfig,
  type PresenceReport,
  type QueueSnapshot,
} from "../worker/core/presence.ts";

type Identity = { tenantId: string; agentId: string; name: string };

export type HeartbeatReply = { status: string; readiness_score: number; next_heartbeat_seconds: number };
export type PresenceSnapshot = {
  agent_id: string;
  last_heartbeat_at: number | null;
  device_connected: boolean;
  heartbeat_fresh: boolean;
  beats_today: number;
  readiness_score: number;
};

export class AgentPresence extends DurableObject<Env> {
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

  private async save(next: Presence) {
    this.presence = next;
    await this.ctx.storage.put("presence", next);
    const at = nextPresenceDeadline(next, this.config());
    if (at === null) await this.ctx.storage.deleteAlarm();
    else {
      await this.ctx.storage.setAlarm(at);
      await this.ctx.storage.put("alarmAt", at);
    }
  }

  private coordinator() {
    return this.env.QUEUE_COORDINATOR.getByName(this.identity!.tenantId);
  }

  /** Tells the coordinator; only an acknowledged report is marked as told. Throws on failure. */
  private async report(report: PresenceReport) {
    const { agentId, name } = this.identity!;
    const agent = await this.coordinator().presenceChanged({ agentId, name, ...report });
    await this.save(markReported({ ...this.presence, queue: agent }, report));
  }

  /** One heartbeat; `currentStatus` is the status the agent's dashboard believes it has. */
  async beat(input: Identity & { deviceConnected: boolean; currentStatus?: QueueSnapshot["status"] }): Promise<HeartbeatReply> {
    if (!this.identity || this.identity.name !== input.name) {
      this.identity = { tenantId: input.tenantId, agentId: input.agentId, name: input.name };
      await this.ctx.storage.put("identity", this.identity);
    }
    const now = Date.now();
    // Decided before the beat: a dashboard back from a network gap restores its status.
    const restore = restoresStatus(this.presence, input.currentStatus);
    const { next, report } = afterBeat(this.presence, input.deviceConnected, now);
    await this.save(next);
    if (report) {
      try {
        await this.report(report);
      } catch (err) {
        // Not marked as told, so the next beat reports it again; the beat itself still counts.
        console.warn("could not tell the queue about a presence change", err);
      }
    }
    if (restore && input.currentStatus) {
      const agent = await this.coordinator().setAgentStatus({ agentId: input.agentId, name: input.name, status: input.currentStatus });
      if (agent.ok) await this.syncFromQueue(agent.value);
    }
    const { readiness } = configFrom(this.env);
    return {
      status: this.presence.queue.status,
      readiness_score: presenceReadiness(this.presence, now, readiness),
      next_heartbeat_seconds: readiness.heartbeatIntervalSeconds,
    };
  }

  /** The coordinator's view of this agent (status and load), for readiness replies. */
  async syncFromQueue(snapshot: QueueSnapshot) {
    this.presence = {
      ...this.presence,
      queue: { status: snapshot.status, activeCalls: snapshot.activeCalls, maxCalls: snapshot.maxCalls },
    };
    await this.ctx.storage.put("presence", this.presence);
  }

  /** What dashboards and heartbeat statistics show. */
  async snapshot(): Promise<PresenceSnapshot> {
    const now = Date.now();
    return {
      agent_id: this.identity?.agentId ?? "",
      last_heartbeat_at: this.presence.lastBeatAt,
      device_connected: this.presence.deviceConnected,
      heartbeat_fresh: this.presence.reportedFresh,
      beats_today: this.presence.beatsToday,
      readiness_score: presenceReadiness(this.presence, now, configFrom(this.env).readiness),
    };
  }

  /** Midnight reset of the daily beat counter. */
  async resetDaily() {
    await this.save({ ...this.presence, beatsToday: 0 });
  }

  override async alarm() {
    if (!this.identity) return;
    // An alarm fires at (or after) the deadline it was set for; treating that as "now" keeps
    // tests that run alarms early (runDurableObjectAlarm) faithful to production.
    const scheduled = (await this.ctx.storage.get<number>("alarmAt")) ?? Date.now();
    const report = afterTime(this.presence, Math.max(Date.now(), scheduled), this.config());
    // A failed report throws, and the runtime retries the alarm.
    if (report) await this.report(report);
    else await this.save(this.presence);
  }
}
