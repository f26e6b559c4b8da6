// Document uploads as fast as `concurrency` allows: each upload is an audit record (a document
// leaf) that the log must sequence, sign and anchor (anchoring scenario).
import { now, until } from "../lib/clock.ts";
import { uploadDocument } from "../lib/api.ts";
import type { RoleInstance } from "./role.ts";

export type UploaderParams = { baseUrl: string; jobs: { verificationId: string; token: string }[]; concurrency: number };
export type UploaderResult = { hashes: string[]; failures: number; latency: number[]; lastAt: number };

export async function uploader(params: UploaderParams): Promise<RoleInstance> {
  const result: UploaderResult = { hashes: [], failures: 0, latency: [], lastAt: 0 };
  return {
    async run(at) {
      await until(at);
      let next = 0;
      await Promise.all(
        Array.from({ length: params.concurrency }, async () => {
          while (next < params.jobs.length) {
            const job = params.jobs[next++]!;
            const started = now();
            try {
              result.hashes.push(await uploadDocument(params.baseUrl, job.token, job.verificationId));
              result.latency.push(now() - started);
              result.lastAt = now();
            } catch {
              result.failures++;
            }
          }
        }),
      );
      return result;
    },
  };
}
