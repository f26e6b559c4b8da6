// The coordinator's copy of the tenant's routing (issue 17). D1 owns queues and skills; this
// object keeps the queues it dispatches with in its meta table (skills live on the agents'
// rows), takes both from D1 once, and is handed every later change by the routes.
import type { RoutingQueue, Skills } from "../../worker/core/queue/index.ts";
import { database } from "../../worker/db/client.ts";
import { listQueues, skillsOfTenant } from "../../worker/db/routing.ts";
import type { CoordinatorStore } from "./storage.ts";

const META = "queues";

export class RoutingCopy {
  private readonly store: CoordinatorStore;
  queues: readonly RoutingQueue[];
  /** Whether this object ever took the tenant's routing from D1 (an object older than routing
   * has not, even if it knows its tenant). */
  loaded: boolean;

  constructor(store: CoordinatorStore) {
    this.store = store;
    const stored = store.meta(META);
    this.loaded = stored !== null;
    this.queues = JSON.parse(stored ?? "[]") as RoutingQueue[];
  }

  /** Keeps the queues' routing fields (not D1's bookkeeping) as the copy dispatch reads. */
  keep(queues: readonly RoutingQueue[]) {
    this.queues = queues.map(({ id, name, position, requires, serviceLevelSeconds, relaxAfterSeconds, relaxToAnyAgent, workingHours }) => ({
      id,
      name,
      position,
      requires,
      serviceLevelSeconds,
      relaxAfterSeconds,
      relaxToAnyAgent,
      workingHours,
    }));
    this.store.setMeta(META, JSON.stringify(this.queues));
  }

  /** Takes the tenant's queues from D1; answers the agents' skills for the caller to apply. */
  async load(d1: D1Database, tenantId: string): Promise<Array<{ agentId: string; skills: Skills }>> {
    this.loaded = true;
    const db = database(d1);
    const [queues, skills] = await Promise.all([listQueues(db, tenantId), skillsOfTenant(db, tenantId)]);
    this.keep(queues);
    return skills;
  }
}
