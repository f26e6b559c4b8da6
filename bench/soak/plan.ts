// The soak's client processes (bench/lib/fleet.ts): agents and customers split over
// --clients processes each, the dashboards in one, the HTTP heartbeats in one.
import { deal } from "../lib/api.ts";
import type { Task } from "../lib/fleet.ts";
import type { Account } from "../system/accounts.ts";
import type { SoakOptions } from "./options.ts";

export const isAgents = (t: Task) => t.role === "soak-agents";
export const isCustomers = (t: Task) => t.role === "soak-customers";
export const isDashboards = (t: Task) => t.role === "dashboards";
export const isHeartbeats = (t: Task) => t.role === "http-heartbeats";

export function soakTasks(
  options: SoakOptions,
  url: string,
  people: { manager: Account; agents: Account[]; customers: Account[] },
  waitLimitMs: number,
): Task[] {
  const shares = <T>(items: T[]) => deal(items, Math.max(1, Math.min(options.clients, items.length)));
  const customerShares = shares(people.customers);
  return [
    ...shares(people.agents).map((share, i) => ({
      role: "soak-agents" as const,
      params: {
        baseUrl: url,
        agents: share.map((a) => ({ id: a.id, token: a.token })),
        rejectShare: options.rejectShare,
        ignoreShare: options.ignoreShare,
        holdMs: options.holdMs,
        beatEveryMs: options.beatSeconds * 1000,
        seed: options.seed * 1000 + i,
      },
    })),
    ...customerShares.map((share, i) => ({
      role: "soak-customers" as const,
      params: {
        baseUrl: url,
        customers: share.map((c) => ({ id: c.id, token: c.token })),
        perMinute: options.rate / customerShares.length,
        cancelShare: options.cancelShare,
        cancelAfterMs: options.cancelAfterMs,
        documents: options.documents,
        waitLimitMs,
        pollEveryMs: 20_000,
        seed: options.seed * 1000 + 500 + i,
      },
    })),
    ...(options.dashboards
      ? [{ role: "dashboards" as const, params: { baseUrl: url, token: people.manager.token, count: options.dashboards } }]
      : []),
    ...(options.hbHttpRate > 0
      ? [
          {
            role: "http-heartbeats" as const,
            params: {
              baseUrl: url,
              tokens: people.agents.map((a) => a.token),
              rate: options.hbHttpRate,
              durationMs: options.minutes * 60_000,
            },
          },
        ]
      : []),
  ];
}
