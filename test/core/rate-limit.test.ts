import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { admit, FullMemo, MEMO_MS, probeOrder, randomStride, slotKey } from "../../worker/core/rate-limit.ts";

const T = 1_800_000_000_000;

/** A binding like `simple = { limit = 1, period = 60 }` within one window: each key admits once. */
function fakeBinding() {
  const taken = new Set<string>();
  let calls = 0;
  return {
    take: async (key: string) => {
      calls++;
      if (taken.has(key)) return false;
      taken.add(key);
      return true;
    },
    get calls() {
      return calls;
    },
    newWindow: () => taken.clear(),
  };
}

/** A seeded generator, so each property run is reproducible. */
function seeded(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

describe("probe order", () => {
  it("visits every slot exactly once, whatever the randomness", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (n, draws) => {
          let i = 0;
          const random = () => draws[i++ % draws.length]!;
          const order = [...probeOrder(n, random)];
          expect(order).toHaveLength(n);
          expect(new Set(order).size).toBe(n);
          expect(order.every((slot) => Number.isInteger(slot) && slot >= 0 && slot < n)).toBe(true);
        },
      ),
    );
  });

  it("picks strides coprime to n", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer(), (n, seed) => {
        const stride = randomStride(n, seeded(seed));
        const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
        expect(gcd(stride, n)).toBe(1);
        expect(stride).toBeGreaterThanOrEqual(1);
        expect(stride).toBeLessThan(Math.max(2, n));
      }),
    );
  });

  it("yields nothing for a limit of 0", () => {
    expect([...probeOrder(0, Math.random)]).toEqual([]);
  });
});

describe("admission", () => {
  it("admits exactly N of M requests in one window", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 150 }), fc.integer(), async (n, m, seed) => {
        const binding = fakeBinding();
        // A memo that never remembers: every request reaches the binding.
        const memo = new FullMemo(10, 0);
        const random = seeded(seed);
        let admitted = 0;
        for (let i = 0; i < m; i++) {
          const result = await admit({ scope: "s", key: "k", limit: n, now: T + i, memo, random, take: binding.take });
          if (result.admitted) admitted++;
          // Once the limit is reached, a request costs exactly N calls.
          if (!result.admitted) expect(result.calls).toBe(n);
        }
        expect(admitted).toBe(Math.min(n, m));
      }),
    );
  });

  it("admits N again in the next window", async () => {
    const binding = fakeBinding();
    const memo = new FullMemo();
    const run = async (now: number) => {
      let ok = 0;
      for (let i = 0; i < 8; i++)
        if ((await admit({ scope: "s", key: "k", limit: 5, now, memo, random: Math.random, take: binding.take })).admitted) ok++;
      return ok;
    };
    expect(await run(T)).toBe(5);
    binding.newWindow();
    expect(await run(T + 60_000)).toBe(5);
  });

  it("keeps keys and scopes apart", async () => {
    const binding = fakeBinding();
    const memo = new FullMemo();
    const go = (scope: string, key: string) => admit({ scope, key, limit: 2, now: T, memo, random: Math.random, take: binding.take });
    expect((await go("queue", "u1")).admitted).toBe(true);
    expect((await go("queue", "u1")).admitted).toBe(true);
    expect((await go("queue", "u1")).admitted).toBe(false);
    expect((await go("queue", "u2")).admitted).toBe(true);
    expect((await go("uploads", "u1")).admitted).toBe(true);
  });

  it("turns a limit of 0 off without calling the binding", async () => {
    const binding = fakeBinding();
    const memo = new FullMemo();
    for (let i = 0; i < 100; i++) {
      expect(await admit({ scope: "s", key: "k", limit: 0, now: T, memo, random: Math.random, take: binding.take })).toEqual({
        admitted: true,
        calls: 0,
        fromMemo: false,
      });
    }
    expect(binding.calls).toBe(0);
  });

  it("costs about one binding call per request while well under the limit", async () => {
    const binding = fakeBinding();
    const memo = new FullMemo();
    const random = seeded(42);
    const n = 120;
    let calls = 0;
    for (let i = 0; i < n / 2; i++)
      calls += (await admit({ scope: "s", key: "k", limit: n, now: T, memo, random, take: binding.take })).calls;
    // Uniform hashing would average ~1.4 probes over the first half; linear walks cluster worse.
    expect(calls / (n / 2)).toBeLessThan(2);
  });

  it("answers a caller hammering a full limit from memory for about a second", async () => {
    const binding = fakeBinding();
    const memo = new FullMemo();
    const go = (now: number) => admit({ scope: "s", key: "k", limit: 3, now, memo, random: Math.random, take: binding.take });
    for (let i = 0; i < 3; i++) expect((await go(T)).admitted).toBe(true);
    expect(await go(T)).toEqual({ admitted: false, calls: 3, fromMemo: false });
    const before = binding.calls;
    for (let i = 0; i < 50; i++) expect(await go(T + 10 * i)).toEqual({ admitted: false, calls: 0, fromMemo: true });
    expect(binding.calls).toBe(before);
    // After the memo expires the binding is asked again (and, in a new window, admits).
    binding.newWindow();
    expect((await go(T + MEMO_MS)).admitted).toBe(true);
  });

  it("uses one binding key per slot", async () => {
    const keys: string[] = [];
    await admit({
      scope: "queue",
      key: "user-1",
      limit: 4,
      now: T,
      memo: new FullMemo(),
      random: () => 0.5,
      take: async (k) => (keys.push(k), false),
    });
    expect(keys.sort()).toEqual([0, 1, 2, 3].map((slot) => slotKey("queue", "user-1", slot)));
  });
});

describe("full memo", () => {
  it("forgets a key after its time", () => {
    const memo = new FullMemo(10, 1_000);
    memo.markFull("a", T);
    expect(memo.isFull("a", T + 999)).toBe(true);
    expect(memo.isFull("a", T + 1_000)).toBe(false);
    expect(memo.size).toBe(0);
  });

  it("never holds more than its bound, dropping the oldest marks first", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 400 }), (max, keys) => {
        const memo = new FullMemo(max, 60_000);
        keys.forEach((k, i) => memo.markFull(`k${k}`, T + i));
        expect(memo.size).toBeLessThanOrEqual(max);
        // The most recently marked key is always remembered.
        if (keys.length) expect(memo.isFull(`k${keys.at(-1)}`, T + keys.length)).toBe(true);
      }),
    );
  });

  it("refreshes a key marked again, so it is not the next to go", () => {
    const memo = new FullMemo(2, 60_000);
    memo.markFull("a", T);
    memo.markFull("b", T);
    memo.markFull("a", T + 1);
    memo.markFull("c", T + 2);
    expect(memo.isFull("a", T + 3)).toBe(true);
    expect(memo.isFull("b", T + 3)).toBe(false);
    expect(memo.isFull("c", T + 3)).toBe(true);
  });
});
