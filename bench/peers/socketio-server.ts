// The fan-out peer: a minimal Socket.IO 4.8 server that broadcasts a call event to every
// connected client whenever it is asked to (`POST /emit {key}`), with a payload the size and
// shape of VerifyID's `call_event`. Run by `npm run bench` in a process of its own; prints
// "listening <port>".
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";

/** A call as dashboards see it (worker/schemas/messages.ts CallView), for a like-for-like payload. */
function callView(verificationId: string) {
  const at = new Date().toISOString();
  return {
    id: `call-${verificationId}`,
    verification_id: verificationId,
    customer_id: "0190c3d2-5f1e-7a2b-9c4d-3e5f6a7b8c9d",
    user_name: "Bench Customer",
    status: "pending",
    priority: "normal",
    initial_priority: "normal",
    fraud_score: 0.42,
    documents: [{ id: "0190c3d2-5f1e-7a2b-9c4d-3e5f6a7b8c9e", doc_type: "passport", document_hash: "ab".repeat(32) }],
    created_at: at,
    wait_seconds: 0,
    position_in_queue: 1,
    estimated_wait_seconds: 30,
  };
}

const http = createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/emit") {
    res.writeHead(404).end();
    return;
  }
  let body = "";
  req.on("data", (c: Buffer) => void (body += c.toString()));
  req.on("end", () => {
    const key = String((JSON.parse(body || "{}") as { key?: string }).key ?? "");
    const [verificationId = "", event = "call_updated"] = key.split(":");
    io.emit("call_event", { type: "call_event", event, call: callView(verificationId), timestamp: new Date().toISOString() });
    res.writeHead(204).end();
  });
});
const io = new Server(http, { transports: ["websocket"], serveClient: false });
http.listen(0, "127.0.0.1", () => console.log(`listening ${(http.address() as AddressInfo).port}`));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => io.close(() => process.exit(0)));
