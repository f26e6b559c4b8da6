/** Seconds before retry `attempt` (1-based): 2, 4, 8 … up to 5 minutes, ±25 % jitter so
 * retries after an outage do not arrive all at once. */
export function retryDelaySeconds(attempt: number, random = Math.random()): number {
  const base = Math.min(300, 2 ** Math.max(1, attempt));
  return Math.max(1, Math.round(base * (0.75 + random * 0.5)));
}
