// When a failed delivery is tried again: pure, from the attempt number the queue counts and the
// configured delays (WEBHOOK_RETRY_DELAYS_SECONDS). After the last delay the delivery fails.

/** The delay before the next attempt after failed attempt `attempt` (1-based), or null when
 * there is none left. */
export function retryDelaySeconds(delays: readonly number[], attempt: number): number | null {
  return attempt >= 1 && attempt <= delays.length ? delays[attempt - 1]! : null;
}

/** Whether an HTTP answer counts as delivered. */
export const delivered = (status: number) => status >= 200 && status < 300;
