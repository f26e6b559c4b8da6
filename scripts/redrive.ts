// `npm run redrive -- [--url <base URL>] [--token <bearer> | --email <staff email> [--password <pw>]]`
// Re-drives the audit pipeline after an outage (README "Operate"): POST /api/v1/admin/redrive
// queues again every audit record not yet logged and every checkpoint whose anchor was
// abandoned, and prints what it queued. Idempotent: run it as often as you like; then watch
// `pipeline` in /api/v1/health.
// The token may also come from VERIFYID_TOKEN, the password from VERIFYID_PASSWORD (so neither
// lands in the shell history). Against the local stack (`npm start`) it signs in as the demo IT
// user by default. Exit codes: 0 re-driven, 1 refused (or a queue took only part), 2 bad usage.
import { runOperatorScript, send } from "./operator-client.ts";

const USAGE =
  "usage: npm run redrive -- [--url <VerifyID base URL, default http://localhost:8787>] [--token <bearer> | --email <IT staff or manager email> [--password <password>]]";

async function main(base: string, token: string): Promise<number> {
  const { status, body } = await send(`${base}/api/v1/admin/redrive`, { method: "POST", token });
  if (status !== 200) {
    console.error(`re-drive answered ${status}: ${body.error?.code ?? ""} ${body.error?.message ?? ""}`.trim());
    return 1;
  }
  console.log(JSON.stringify(body, null, 2));
  console.log(
    `re-queued ${body.records_requeued} of ${body.records_unlogged} unlogged audit records and ${body.anchors_requeued} of ${body.anchors_abandoned} abandoned anchors` +
      (body.reanchored_tree_size !== null ? `; anchoring the newest checkpoint (tree size ${body.reanchored_tree_size})` : ""),
  );
  if (body.records_requeued < body.records_unlogged || body.anchors_requeued < body.anchors_abandoned) {
    console.error("a queue refused part of the re-drive; run it again");
    return 1;
  }
  return 0;
}

runOperatorScript(USAGE, main);
