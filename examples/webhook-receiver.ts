// A client app's webhook receiver, runnable as is with Node 22:
//   WEBHOOK_SECRET=whsec_… PORT=8788 node examples/webhook-receiver.ts
// It verifies every delivery with the `standardwebhooks` package (the signature covers the
// webhook-id, the timestamp and the exact body), drops repeats of a webhook-id it has already
// handled (retries carry the same id), prints one line per delivery and answers 204.
import { createServer, type Server } from "node:http";
import { Webhook } from "standardwebhooks";

export type Delivery = { id: string; type: string; verified: boolean; duplicate: boolean; data: Record<string, unknown> | null };

type Event = { type: string; data: Record<string, unknown> };

/** The event, when the signature over id, timestamp and exact body is right (and recent). */
function verified(secret: string, body: string, headers: Record<string, string>): Event | null {
  try {
    return new Webhook(secret).verify(body, headers) as Event;
  } catch {
    return null;
  }
}

/** Starts the receiver on `port` (0: any free port); `onDelivery` sees each delivery. `secret`
 * may be a function, for a receiver that listens before its endpoint (and secret) exists. */
export function startReceiver(options: {
  secret: string | (() => string);
  port?: number;
  onDelivery?: (d: Delivery) => void;
}): Promise<{ url: string; server: Server }> {
  const secretOf = typeof options.secret === "function" ? options.secret : () => options.secret as string;
  const seen = new Set<string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = {
        "webhook-id": String(req.headers["webhook-id"] ?? ""),
        "webhook-timestamp": String(req.headers["webhook-timestamp"] ?? ""),
        "webhook-signature": String(req.headers["webhook-signature"] ?? ""),
      };
      const event = verified(secretOf(), body, headers);
      const delivery: Delivery = {
        id: headers["webhook-id"],
        type: event?.type ?? "unverified",
        verified: event !== null,
        duplicate: seen.has(headers["webhook-id"]),
        data: event?.data ?? null,
      };
      if (event) seen.add(delivery.id);
      options.onDelivery?.(delivery);
      console.log(
        JSON.stringify({
          at: new Date().toISOString(),
          webhook_id: delivery.id,
          type: delivery.type,
          verified: delivery.verified,
          duplicate: delivery.duplicate,
          verification_id: delivery.data?.verification_id ?? null,
          decision: delivery.data?.decision ?? null,
        }),
      );
      // An unverifiable request is refused; the sender will not retry a 4xx forever, but will log it.
      res.writeHead(event ? 204 : 400).end();
    });
  });
  return new Promise((resolve) => {
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : options.port;
      resolve({ url: `http://127.0.0.1:${port}/webhooks/verifyid`, server });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const secret = process.env.WEBHOOK_SECRET;
  if (!secret) throw new Error("set WEBHOOK_SECRET to the endpoint's whsec_ secret");
  const { url } = await startReceiver({ secret, port: Number(process.env.PORT ?? 8788) });
  console.log(`listening on ${url}`);
}
