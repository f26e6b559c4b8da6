// `npm run keys:rotate -- [--url <base URL>] [--token <bearer> | --email <staff email> [--password <pw>]]`
// Re-wraps every document data key under the current master key version (README "Data
// lifecycle"): calls POST /api/v1/admin/keys/rotate step by step until it answers `done`, and
// prints each step's counts. No document is re-encrypted. Run it after deploying a new
// DOCUMENT_MASTER_KEY with its DOCUMENT_MASTER_KEY_VERSION and the old key in
// DOCUMENT_MASTER_KEYS_RETIRED; when it says done, the retired key can be removed. Resumable:
// run it again after an interruption. Token and sign-in work as for `npm run redrive`.
// Exit codes: 0 done, 1 refused or failed, 2 bad usage.
import { runOperatorScript, send } from "./operator-client.ts";

const USAGE =
  "usage: npm run keys:rotate -- [--url <VerifyID base URL, default http://localhost:8787>] [--token <bearer> | --email <IT staff or manager email> [--password <password>]]";
const MAX_STEPS = 100_000;

async function main(base: string, token: string): Promise<number> {
  const totals = { rewrapped: 0, adopted: 0, scanned: 0 };
  let cursor = "";
  for (let step = 1; step <= MAX_STEPS; step++) {
    const { status, body } = await send(`${base}/api/v1/admin/keys/rotate`, { method: "POST", token, json: { cursor } });
    if (status !== 200) {
      console.error(`rotation step ${step} answered ${status}: ${body.error?.code ?? ""} ${body.error?.message ?? ""}`.trim());
      return 1;
    }
    totals.rewrapped += body.rewrapped;
    totals.adopted += body.adopted;
    totals.scanned += body.scanned;
    console.log(`step ${step}: re-wrapped ${body.rewrapped}, adopted ${body.adopted} legacy keys, scanned ${body.scanned} objects`);
    if (body.done) {
      console.log(
        `done: every data key is under master key version ${body.master_version} (re-wrapped ${totals.rewrapped}, adopted ${totals.adopted}, scanned ${totals.scanned})`,
      );
      return 0;
    }
    cursor = body.next_cursor ?? cursor;
  }
  console.error(`not done after ${MAX_STEPS} steps; run it again`);
  return 1;
}

runOperatorScript(USAGE, main);
