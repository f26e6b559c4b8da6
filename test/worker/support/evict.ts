// Evicting a Durable Object mid-flow, the three ways the runtime drops an instance: idle with
// its sockets hibernated ("hibernate": the sockets stay open and wake a new instance), evicted
// with its sockets closed ("close"), or reset mid-work ("crash": ctx.abort(), in-flight work
// and waitUntil promises dropped, sockets cut with 1006). Storage survives all three; memory
// survives none. The helper proves each eviction happened (a mark set on the old instance is
// absent from the new one), so a test built on it cannot pass against an instance that stayed.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";

export type Eviction = "hibernate" | "close" | "crash";
export const EVICTIONS: readonly Eviction[] = ["hibernate", "close", "crash"];

/** What the new instance found: its alarm (ms, or null) and the sockets it still holds. */
export type AfterEviction = { alarm: number | null; sockets: number };

const MARK = Symbol.for("verifyid.test.old-instance");

type Marked = { [MARK]?: true };

/** Evicts the object `object()` names (a function: a stub that saw the object crash stays broken,
 * so each step takes a new one). */
export async function evict(object: () => DurableObjectStub, how: Eviction = "hibernate"): Promise<AfterEviction> {
  // Also makes sure the object runs: evictDurableObject refuses one that does not.
  const socketsBefore = await runInDurableObject(object(), (instance, state) => {
    (instance as Marked)[MARK] = true;
    return state.getWebSockets().length;
  });
  if (how === "crash") {
    // abort() throws in the callback's request (and the runtime logs the reset as uncaught).
    await runInDurableObject(object(), (_instance, state) => state.abort("evicted by the test")).then(
      () => Promise.reject(new Error("ctx.abort() returned")),
      () => undefined,
    );
  } else {
    await evictDurableObject(object(), { webSockets: how });
  }
  const after = await runInDurableObject(object(), async (instance, state) => ({
    fresh: !(MARK in (instance as Marked)),
    alarm: await state.storage.getAlarm(),
    sockets: state.getWebSockets().length,
  }));
  if (!after.fresh) throw new Error(`evict(${how}): the object kept its old instance`);
  const expected = how === "hibernate" ? socketsBefore : 0;
  if (after.sockets !== expected) throw new Error(`evict(${how}): ${after.sockets} sockets after, expected ${expected}`);
  return { alarm: after.alarm, sockets: after.sockets };
}

/** Runs `read` on an object's instance, typed loosely: tests read private fields (the live
 * in-memory state, to compare with what a new instance rebuilds from storage) and stub them. */
export function inMemory<T>(stub: DurableObjectStub, read: (instance: any, state: DurableObjectState) => T | Promise<T>): Promise<T> {
  return runInDurableObject(stub, (instance, state) => read(instance, state)) as Promise<T>;
}
