// Lifecycle plumbing every Durable Object here repeats, written once (in the manner of
// partyserver's connection helpers and cloudflare/agents' one-alarm scheduler): who a forwarded
// upgrade is from, answering a client's close, and one alarm serving many deadlines.
import { PRINCIPAL_HEADER } from "../../worker/sockets/protocol.ts";

/** The principal the Worker attached to a forwarded WebSocket upgrade, or null for any request
 * that is not one (objects are reachable only through the Worker, which sets the header itself). */
export function upgradePrincipal<P>(request: Request): P | null {
  if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return null;
  return JSON.parse(request.headers.get(PRINCIPAL_HEADER) ?? "null") as P | null;
}

/** Completes the close handshake a client started (1005, "no status", is answered with 1000). */
export function answerClose(ws: WebSocket, code: number) {
  try {
    ws.close(code === 1005 ? 1000 : code, "closing");
  } catch {
    // Already closed.
  }
}

const ALARM_AT = "lifecycle:alarm-at";

/**
 * An object has one alarm; its deadlines (offers, ring timeouts, token expiries, outbox retries)
 * share it. `setEarliest` points the alarm at the earliest; inside `alarm()`, `firedAt` is the
 * deadline it was set for, taken as "now": alarms fire at or after it, and tests that run an
 * alarm early (runDurableObjectAlarm) then behave as production does.
 */
export class AlarmClock {
  private readonly ctx: DurableObjectState;

  constructor(ctx: DurableObjectState) {
    this.ctx = ctx;
  }

  /** The deadline the alarm is set for, or null. */
  scheduled(): number | null {
    return this.ctx.storage.kv.get<number>(ALARM_AT) ?? null;
  }

  async setEarliest(...deadlines: Array<number | null | undefined>): Promise<number | null> {
    const at = deadlines.reduce<number>((min, d) => (typeof d === "number" && d < min ? d : min), Infinity);
    if (at === Infinity) {
      if (this.scheduled() !== null) {
        await this.ctx.storage.deleteAlarm();
        this.ctx.storage.kv.delete(ALARM_AT);
      }
      return null;
    }
    if (this.scheduled() === at) return at;
    await this.ctx.storage.setAlarm(at);
    this.ctx.storage.kv.put(ALARM_AT, at);
    return at;
  }

  /** Call first thing in `alarm()`: the moment to run the due work at. */
  firedAt(): number {
    const at = Math.max(Date.now(), this.scheduled() ?? 0);
    this.ctx.storage.kv.delete(ALARM_AT);
    return at;
  }
}
