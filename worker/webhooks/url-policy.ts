// Which webhook URLs may be registered: https only, and never an address inside a private,
// loopback, link-local or carrier-grade NAT network, by literal or by what the name resolves to
// (DNS over HTTPS). WEBHOOK_ALLOW_PRIVATE_URLS=true (local runs) lifts both rules.

/** True for IPv4 addresses that must not be called from the edge. */
export function isPrivateIPv4(ip: string): boolean {
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return false;
  const [a, b] = parts as [number, number, number, number];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

/** True for IPv6 loopback, unspecified, unique-local, link-local and IPv4-mapped private addresses. */
export function isPrivateIPv6(ip: string): boolean {
  const v = ip.toLowerCase().replace(/^\[|\]$/g, "");
  if (v === "::1" || v === "::") return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v);
  if (mapped) return isPrivateIPv4(mapped[1]!);
  // The URL parser writes a mapped IPv4 address in hex (::ffff:a00:1 for 10.0.0.1).
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v);
  if (hexMapped) {
    const [hi, lo] = [parseInt(hexMapped[1]!, 16), parseInt(hexMapped[2]!, 16)];
    return isPrivateIPv4(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  return /^f[cd]/.test(v) || /^fe[89ab]/.test(v) || /^ff/.test(v);
}

const PRIVATE_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa)$/i;

export type Resolver = (hostname: string) => Promise<string[]>;

/** Addresses of a name by DNS over HTTPS (A and AAAA). */
export const dohResolver: Resolver = async (hostname) => {
  const addresses: string[] = [];
  for (const type of ["A", "AAAA"]) {
    const res = await fetch(`https://cloudflare-dns.com/dns-query?name=${encodeURIComponent(hostname)}&type=${type}`, {
      headers: { Accept: "application/dns-json" },
      signal: AbortSignal.timeout(3000),
    });
    if (!res.ok) throw new Error(`DNS answered ${res.status}`);
    const body = (await res.json()) as { Answer?: Array<{ type: number; data: string }> };
    for (const answer of body.Answer ?? []) if (answer.type === 1 || answer.type === 28) addresses.push(answer.data);
  }
  return addresses;
};

/** Why `url` may not receive webhooks, or null when it may. */
export async function webhookUrlRefusal(url: string, allowPrivate: boolean, resolve: Resolver = dohResolver): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "url must be an absolute URL";
  }
  if (parsed.username || parsed.password) return "url must not carry credentials";
  if (allowPrivate) return parsed.protocol === "https:" || parsed.protocol === "http:" ? null : "url must be an http(s) URL";
  if (parsed.protocol !== "https:") return "url must be an https URL";
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  if (host.includes(":")) return isPrivateIPv6(host) ? "url must not point at a private, loopback or link-local address" : null;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host))
    return isPrivateIPv4(host) ? "url must not point at a private, loopback or link-local address" : null;
  if (PRIVATE_NAMES.test(host) || !host.includes(".")) return "url must name a public host";
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    return "url's host could not be resolved";
  }
  if (addresses.length === 0) return "url's host could not be resolved";
  if (addresses.some((a) => (a.includes(":") ? isPrivateIPv6(a) : isPrivateIPv4(a)))) {
    return "url's host resolves to a private, loopback or link-local address";
  }
  return null;
}
