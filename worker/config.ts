// Typed configuration from Worker vars (strings) with the documented defaults. One schema
// so that a typo in a var name or value fails loudly in one place.
import { z } from "zod";

const seconds = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const flag = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "on", "off"])
    .default(fallback ? "true" : "false")
    .transform((v) => v === "true" || v === "1" || v === "on");

const ConfigSchema = z.object({
  ENVIRONMENT: z.string().default("production"),
  TOKEN_TTL_SECONDS: seconds(12 * 3600),
  MAX_UPLOAD_BYTES: seconds(10 * 1024 * 1024),
});

export type Config = {
  environment: string;
  tokenTtlSeconds: number;
  maxUploadBytes: number;
};

/** Reads the configuration from the Worker's vars; throws on malformed values. */
export function configFrom(env: object): Config {
  const raw = ConfigSchema.parse(env);
  return {
    environment: raw.ENVIRONMENT,
    tokenTtlSeconds: raw.TOKEN_TTL_SECONDS,
    maxUploadBytes: raw.MAX_UPLOAD_BYTES,
  };
}

export { flag, seconds };
