// Abuse limits of N requests a minute per key, enforced by a Workers rate-limit binding whose
// own limit is 1 (wrangler.toml fixes a binding's limit; ours must be a var). A limit of N is
// N "slots": the keys `${scope}:${key}:0` … `${scope}:${key}:${N-1}`, each admitting one call
// per window. A request is admitted when some slot still admits it, so exactly N requests pass
// per window, with the binding still the enforcer and N read from a var at request time.
//
// Cost: a request probes slots in a random order (random start, random stride coprime to N),
// so while the caller is well under its limit the first probe nearly always succeeds (expected
// (N+1)/(N-u+1) calls after u admissions, like uniform hashing); a request over the limit costs
// exactly N calls. A per-isolate memo ("this key was full at t") then answers a caller who keeps
// hammering a full limit from memory for MEMO_MS, so it costs N calls at most once a second.
//
// (Miniflare's local binding also accepts `limit` and `period` per call, but the production
// runtime's `RateLimitOptions` has only `key`: relying on it would enforce nothing once deployed.)

export type RateLimitScope =
  | "queue"
  | "verifications"
  | "uploads"
  | "direct_calls"
  | "sockets"
  | "public_audit"
  | "login_ip"
  | "login_email";

/** How long a key found full is answered from memory, and how many keys the memo keeps. */
export const MEMO_MS = 1_000;
export const MEMO_MAX_KEYS = 10_000;

/** The binding key of one slot. */
export const slotKey = (scope: string, key: string, slot: number) => `${scope}:${key}:${slot}`;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** A stride in 1..n-1 coprime to n, picked at random (1 for n ≤ 2). */
export function randomStride(n: number, random: () => number): number {
  if (n <= 2) return 1;
  for (let attempt = 0; attempt < 16; attempt++) {
    const stride = 1 + Math.floor(random() * (n - 1));
    if (gcd(stride, n) === 1) return stride;
  }
  return 1;
}

/** The slots a request tries, in order: every slot of 0..n-1 exactly once. */
export function* probeOrder(n: number, random: () => number): Generator<number> {
  if (n <= 0) return;
  const start = Math.min(n - 1, Math.floor(random() * n));
  const stride = randomStride(n, random);
  for (let i = 0; i < n; i++) yield (start + i * stride) % n;
}

/** Per-isolate memory of keys found full: bounded, oldest first out. */
export class FullMemo {
  readonly #until = new Map<string, number>();
  readonly #max: number;
  readonly #ms: number;

  constructor(max = MEMO_MAX_KEYS, ms = MEMO_MS) {
    this.#max = max;
    this.#ms = ms;
  }

  get size() {
    return this.#until.size;
  }

  isFull(key: string, now: number): boolean {
    const until = this.#until.get(key);
    if (until === undefined) return false;
    if (now < until) return true;
    this.#until.delete(key);
    return false;
  }

  markFull(key: string, now: number): void {
    this.#until.delete(key);
    this.#until.set(key, now + this.#ms);
    // Map iteration is insertion order: the first entries are the oldest marks.
    for (const oldest of this.#until.keys()) {
      if (this.#until.size <= this.#max) break;
      this.#until.delete(oldest);
    }
  }
}

export type Admission = { admitted: boolean; calls: number; fromMemo: boolean };

/**
 * Whether one more request for `key` fits its limit. `take(slotKey)` is the binding (true when
 * that slot still admitted a call this window). A limit of 0 means no limit.
 */
export async function admit(input: {
  scope: string;
  key: string;
  limit: number;
  now: number;
  memo: FullMemo;
  random: () => number;
  take: (slotKey: string) => Promise<boolean>;
}): Promise<Admission> {
  const { scope, key, limit, now, memo, random, take } = input;
  if (limit <= 0) return { admitted: true, calls: 0, fromMemo: false };
  const memoKey = `${scope}:${key}`;
  if (memo.isFull(memoKey, now)) return { admitted: false, calls: 0, fromMemo: true };
  let calls = 0;
  for (const slot of probeOrder(limit, random)) {
    calls++;
    if (await take(slotKey(scope, key, slot))) return { admitted: true, calls, fromMemo: false };
  }
  memo.markFull(memoKey, now);
  return { admitted: false, calls, fromMemo: false };
}
