// A ticking clock for countdowns and waiting times, shared by every component that needs one
// so that all of them move on the same beat.
import { useEffect, useState } from "preact/hooks";

const subscribers = new Set<(now: number) => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(fn: (now: number) => void) {
  subscribers.add(fn);
  timer ??= setInterval(() => {
    const now = Date.now();
    subscribers.forEach((s) => s(now));
  }, 1000);
  return () => {
    subscribers.delete(fn);
    if (subscribers.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** Date.now(), re-rendering the caller once a second. */
export function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => subscribe(setNow), []);
  return now;
}
