// What the traffic was, for the report: how many of each thing the clients did and saw. Pure.
import type { Arrivals } from "../roles/dashboards.ts";
import type { HttpHeartbeatsResult } from "../roles/http-heartbeats.ts";
import type { SoakAgentsResult } from "../roles/soak-agents.ts";
import type { Flow } from "../roles/soak-customers.ts";
import type { ServerVerification } from "./settle.ts";

/** How often each value occurs. */
const histogram = (values: (string | number | null)[]) => {
  const out: Record<string, number> = {};
  for (const v of values) if (v !== null) out[v] = (out[v] ?? 0) + 1;
  return out;
};

export function trafficFigures(input: {
  flows: Flow[];
  agents: SoakAgentsResult[];
  dashboards: Arrivals[];
  httpBeats: HttpHeartbeatsResult[];
  verifications: ServerVerification[];
}) {
  const { flows, agents } = input;
  const calls = agents.flatMap((a) => a.calls);
  const sum = (pick: (a: SoakAgentsResult) => number) => agents.reduce((s, a) => s + pick(a), 0);
  return {
    flows: flows.length,
    verifications: flows.filter((f) => f.verificationId).length,
    documents: flows.reduce((s, f) => s + f.documentRecords.length, 0),
    calls: flows.filter((f) => f.callId).length,
    riskSources: histogram(input.verifications.map((v) => v.riskSource)),
    customerCancels: histogram(flows.map((f) => f.cancelStatus)),
    waitingRoomEndedBy: histogram(flows.filter((f) => f.callId).map((f) => f.endedBy)),
    waitingRoomsDropped: flows.filter((f) => f.roomDropped).length,
    offers: calls.reduce((s, c) => s + c.offers, 0),
    rejects: calls.reduce((s, c) => s + c.rejects, 0),
    offersLeftToExpire: calls.reduce((s, c) => s + c.ignored, 0),
    agentRequests: {
      accept: histogram(calls.flatMap((c) => c.accept)),
      start: histogram(calls.flatMap((c) => c.start)),
      complete: histogram(calls.flatMap((c) => c.complete)),
    },
    decisions: histogram(calls.map((c) => c.decision)),
    agentsBackOnline: sum((a) => a.backOnline),
    staffSocketReconnects: sum((a) => a.reconnects),
    socketBeats: { sent: sum((a) => a.beats.sent), acked: sum((a) => a.beats.acked) },
    httpBeats: { sent: input.httpBeats.reduce((s, r) => s + r.sent, 0), ok: input.httpBeats.reduce((s, r) => s + r.ok, 0) },
    dashboards: {
      sockets: input.dashboards.reduce((s, r) => s + r.sockets, 0),
      dropped: input.dashboards.reduce((s, r) => s + r.dropped, 0),
      callEvents: input.dashboards.reduce((s, r) => s + (r.frames.call_event ?? 0), 0),
    },
  };
}
