// Where the Thronos nodes are and how patiently to call them, read once from the Worker's vars
// and secrets (THRONOS.md "Deployments"). Long waits belong to the caller's Queue retries, so the
// in-request budget stays small.
import { z } from "zod";
import { perObject } from "../../per-object.ts";

export type ThronosConfig = {
  masterUrl: string;
  replicaUrl: string;
  aiUrl: string;
  aiKey: string;
  /** Per-attempt timeout for chain calls. */
  timeoutMs: number;
  /** Extra attempts after the first for 5xx, timeouts and connection errors. */
  retries: number;
  /** The single attempt at AI scoring: the customer is waiting for the answer. */
  aiTimeoutMs: number;
};

const nodeUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
const millis = (fallback: number) => z.coerce.number().int().min(1).max(60_000).default(fallback);

const ThronosVars = z.object({
  THRONOS_MASTER_URL: nodeUrl,
  THRONOS_REPLICA_URL: nodeUrl,
  THRONOS_AI_URL: nodeUrl,
  THRONOS_AI_KEY: z.string().default(""),
  THRONOS_TIMEOUT_MS: millis(3000),
  THRONOS_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  THRONOS_AI_TIMEOUT_MS: millis(2500),
});

/** The Thronos client settings from the Worker env; throws on a missing or malformed var. Parsed
 * once per env object (an isolate's vars never change): the submit path reads them on every request. */
export const thronosConfigFrom: (env: object) => ThronosConfig = perObject((env: object) => parseThronosConfig(env));

function parseThronosConfig(env: object): ThronosConfig {
  const vars = ThronosVars.parse(env);
  return {
    masterUrl: vars.THRONOS_MASTER_URL,
    replicaUrl: vars.THRONOS_REPLICA_URL,
    aiUrl: vars.THRONOS_AI_URL,
    aiKey: vars.THRONOS_AI_KEY,
    timeoutMs: vars.THRONOS_TIMEOUT_MS,
    retries: vars.THRONOS_RETRIES,
    aiTimeoutMs: vars.THRONOS_AI_TIMEOUT_MS,
  };
}
