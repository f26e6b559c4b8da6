// The soak's fault windows on the local Thronos node (thronos-node/faults.ts through its control
// server): which fault is on when, and switching one on or off.
import { NODE_ROLES } from "../../thronos-node/faults.ts";
import { now, sleep } from "../lib/clock.ts";
import type { FaultSpec } from "./options.ts";

export type FaultWindow = FaultSpec & { fromS: number; toS: number };

/** Windows of `lengthS` every `everyS`, the first half a period in, the specs in turn; each
 * ends inside the traffic's `trafficS`, so the drain starts with every node healthy. */
export function faultWindows(trafficS: number, everyS: number, lengthS: number, specs: FaultSpec[]): FaultWindow[] {
  const windows: FaultWindow[] = [];
  if (!specs.length) return windows;
  for (let fromS = everyS / 2; fromS + lengthS <= trafficS; fromS += everyS) {
    windows.push({ ...specs[windows.length % specs.length]!, fromS, toS: fromS + lengthS });
  }
  return windows;
}

async function post(controlUrl: string, body: unknown) {
  const res = await fetch(new URL("/faults", controlUrl), { method: "POST", body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`Thronos control /faults ${JSON.stringify(body)}: ${res.status} ${await res.text()}`);
}

/** Switches `spec` on: `error` answers 503, `slow` waits `slowMs` before each answer. */
export const faultOn = (controlUrl: string, spec: FaultSpec, slowMs: number) =>
  post(controlUrl, {
    node: spec.node,
    mode: spec.mode,
    ...(spec.mode === "error" ? { status: 503 } : {}),
    ...(spec.mode === "slow" ? { delay_ms: slowMs } : {}),
  });

/** Every node healthy again (the chain and its request log stay, unlike the control's /reset). */
export const allHealthy = (controlUrl: string) => Promise.all(NODE_ROLES.map((node) => post(controlUrl, { node, mode: "ok" })));

/** Plays `windows` from the shared instant `at` until `trafficMs` later; each window as it happened (seconds from `at`). */
export async function playFaults(
  controlUrl: string,
  windows: FaultWindow[],
  at: number,
  trafficMs: number,
  slowMs: number,
  progress: (line: string) => void,
): Promise<(FaultWindow & { onAtS?: number; offAtS?: number })[]> {
  const played: (FaultWindow & { onAtS?: number; offAtS?: number })[] = windows.map((w) => ({ ...w }));
  const since = () => (now() - at) / 1000;
  while (since() * 1000 < trafficMs) {
    const t = since();
    for (const w of played) {
      if (w.onAtS === undefined && t >= w.fromS) {
        w.onAtS = Math.round(t);
        await faultOn(controlUrl, w, slowMs);
        progress(
          `  ${w.onAtS} s: ${w.node} ${w.mode === "error" ? "answers 503" : w.mode === "slow" ? `slow (${slowMs} ms)` : w.mode} for ${w.toS - w.fromS} s`,
        );
      } else if (w.onAtS !== undefined && w.offAtS === undefined && t >= w.toS) {
        w.offAtS = Math.round(t);
        await faultOn(controlUrl, { node: w.node, mode: "ok" }, slowMs);
      }
    }
    await sleep(250);
  }
  return played;
}
