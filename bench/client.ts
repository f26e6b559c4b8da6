// A bench client process (forked by bench/lib/fleet.ts): sets up one role, plays it from the
// shared start instant, and reports its samples with its own CPU time over the run.
import { ROLES, type RoleInstance, type RoleName } from "./roles/index.ts";

type FromParent =
  | { type: "setup"; role: RoleName; params: unknown }
  | { type: "go"; at: number }
  | { type: "stop" }
  | { type: "command"; id: number; body: unknown }
  | { type: "exit" };

let instance: RoleInstance | undefined;
const send = (message: unknown) => process.send?.(message as object);
const report = (err: unknown) => send({ type: "error", message: err instanceof Error ? (err.stack ?? err.message) : String(err) });

process.on("message", (msg: FromParent) => {
  switch (msg.type) {
    case "setup":
      ROLES[msg.role](msg.params as never)
        .then((ready) => {
          instance = ready;
          send({ type: "ready" });
        })
        .catch(report);
      return;
    case "go": {
      const before = process.cpuUsage();
      instance!
        .run(msg.at)
        .then((result) => {
          const used = process.cpuUsage(before);
          send({
            type: "result",
            result,
            cpuMs: Math.round((used.user + used.system) / 1000),
            rssMb: Math.round(process.memoryUsage.rss() / 2 ** 20),
          });
        })
        .catch(report);
      return;
    }
    case "stop":
      instance?.stop?.();
      return;
    case "command":
      instance!.command!(msg.body)
        .then((value) => send({ type: "reply", id: msg.id, value }))
        .catch(report);
      return;
    case "exit":
      process.exit(0);
  }
});
process.on("disconnect", () => process.exit(0));
process.on("unhandledRejection", report);
