// One monotonic clock for every bench process on this machine: milliseconds since the epoch,
// taken as the process's time origin plus its monotonic `performance.now()`. A sample stamped
// in one client process and compared in another (enqueue in one, the offer in the next) is
// then exact to well under a millisecond, and no process is thrown off by a wall-clock step.
export const now = (): number => performance.timeOrigin + performance.now();

/** Resolves at `at` (this clock), at once when it has passed. */
export function until(at: number): Promise<void> {
  const wait = at - now();
  return new Promise((done) => (wait > 0 ? setTimeout(done, wait) : done()));
}

export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** A role's measured window: it opens at the shared start instant `at` and closes on `stop()`;
 * `open` says whether what happens now counts. */
export class CountingWindow {
  open = false;
  private close = () => {};
  private readonly closed = new Promise<void>((done) => (this.close = done));

  /** Waits for the start instant, counts until stopped. */
  async span(at: number): Promise<void> {
    await until(at);
    this.open = true;
    await this.closed;
    this.open = false;
  }

  stop() {
    this.close();
  }
}
