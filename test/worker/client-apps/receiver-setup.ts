// Vitest global setup (Node): a webhook receiver lab the worker can reach. `/hook/<name>`
// records each request and answers with the next status of the name's script (then 204);
// `/script/<name>` sets that script, `/log/<name>` returns what was recorded; `/example/start`
// starts the project's example receiver (examples/webhook-receiver.ts), `/example-secret/<i>`
// gives it its endpoint's secret and `/example/<i>` lists what it received.
import { createServer, type Server } from "node:http";
import type { TestProject } from "vitest/node";
import { type Delivery, startReceiver } from "../../../examples/webhook-receiver.ts";

declare module "vitest" {
  export interface ProvidedContext {
    webhookLab: string;
  }
}

type Recorded = { headers: Record<string, string>; body: string };

export default async function setup(project: TestProject) {
  const scripts = new Map<string, number[]>();
  const logs = new Map<string, Recorded[]>();
  const examples: Array<{ server: Server; deliveries: Delivery[]; secret: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const [, kind, name = ""] = (req.url ?? "").split("/");
      const json = (value: unknown) => res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(value));
      if (kind === "hook") {
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        logs.set(name, [...(logs.get(name) ?? []), { headers, body }]);
        const status = scripts.get(name)?.shift() ?? 204;
        return res.writeHead(status).end();
      }
      if (kind === "script") return (scripts.set(name, JSON.parse(body)), json({ ok: true }));
      if (kind === "log") return json(logs.get(name) ?? []);
      if (kind === "example" && name === "start") {
        const index = examples.length;
        const deliveries: Delivery[] = [];
        const started = await startReceiver({ secret: () => examples[index]!.secret, onDelivery: (d) => deliveries.push(d) });
        examples.push({ server: started.server, deliveries, secret: "" });
        return json({ url: started.url, index });
      }
      if (kind === "example-secret") return ((examples[Number(name)]!.secret = JSON.parse(body).secret), json({ ok: true }));
      if (kind === "example") return json(examples[Number(name)]?.deliveries ?? []);
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  project.provide("webhookLab", `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`);
  return () => {
    for (const e of examples) e.server.close();
    server.close();
  };
}
