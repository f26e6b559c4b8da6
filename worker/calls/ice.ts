// ICE servers for the browsers' WebRTC connection. STUN/TURN URLs come from configuration
// (ICE_SERVERS, JSON); when TURN_SECRET is set, TURN entries get short-lived credentials in
// the TURN REST API style that coturn and most TURN services accept:
// username = "<expiry unix seconds>:<user id>", credential = base64(HMAC-SHA1(secret, username)).
import { z } from "zod";
import { toBase64 } from "../encoding.ts";
import { perObject } from "../per-object.ts";

const IceServers = z.array(
  z.object({ urls: z.union([z.string(), z.array(z.string())]), username: z.string().optional(), credential: z.string().optional() }),
);
export type IceServer = z.infer<typeof IceServers>[number];

const TURN_TTL_SECONDS = 3600;
const DEFAULT_ICE = '[{"urls":"stun:stun.cloudflare.com:3478"}]';

const isTurn = (server: IceServer) => [server.urls].flat().some((u) => u.startsWith("turn:") || u.startsWith("turns:"));

const Settings = z.object({ ICE_SERVERS: z.string().default(DEFAULT_ICE), TURN_SECRET: z.string().optional() });

// An isolate's vars never change: each env object's servers are parsed once, not on every start
// (a zod pass over the whole env cost more than the rest of the route).
const iceSettings = perObject((vars: object) => {
  const env = Settings.parse(vars);
  return { servers: IceServers.parse(JSON.parse(env.ICE_SERVERS)), turnSecret: env.TURN_SECRET };
});

/** The ICE servers for `userId`'s call, with fresh TURN credentials when a secret is configured. */
export async function iceServersFor(vars: object, userId: string, now = Date.now()): Promise<IceServer[]> {
  const { servers, turnSecret } = iceSettings(vars);
  if (!turnSecret) return servers;
  const username = `${Math.floor(now / 1000) + TURN_TTL_SECONDS}:${userId}`;
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(turnSecret), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  const credential = toBase64(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(username))));
  return servers.map((s) => (isTurn(s) ? { ...s, username, credential } : s));
}
