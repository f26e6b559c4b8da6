// The roles a client process can play (bench/client.ts runs one per process).
import { agents } from "./agents.ts";
import { dashboards } from "./dashboards.ts";
import { enqueuer } from "./enqueuer.ts";
import { httpHeartbeats } from "./http-heartbeats.ts";
import { bullProducer, bullWorkers, emitter, socketIoClients } from "./peers.ts";
import { sequence } from "./sequence.ts";
import { soakAgents } from "./soak-agents.ts";
import { soakCustomers } from "./soak-customers.ts";
import { uploader } from "./uploader.ts";

import type { RoleInstance } from "./role.ts";

export type { RoleInstance };

export const ROLES = {
  agents,
  dashboards,
  enqueuer,
  "http-heartbeats": httpHeartbeats,
  uploader,
  sequence,
  "soak-agents": soakAgents,
  "soak-customers": soakCustomers,
  "socketio-clients": socketIoClients,
  emitter,
  "bullmq-workers": bullWorkers,
  "bullmq-producer": bullProducer,
} satisfies Record<string, (params: any) => Promise<RoleInstance>>;

export type RoleName = keyof typeof ROLES;
