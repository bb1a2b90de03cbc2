/**
 * Where webhooks may go: public http(s) hosts only, unless private destinations are allowed
 * (`TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE=1`, for local development and tests). Otherwise a site's
 * secret key would let its holder make the collector POST into the operator's private network.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * Private destinations allowed? Read at call time so tests and operators can switch it; `1` or
 * `true` (any case, spaces around), as the configuration check accepts.
 */
export const privateAllowed = () =>
  ['1', 'true'].includes(process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE?.trim().toLowerCase() ?? '');

function v4Private(ip: string): boolean {
  const [a, b, c] = ip.split('.').map(Number) as [number, number, number];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    // Protocol assignments and the documentation ranges (TEST-NET-1, -2, -3): never a receiver.
    (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113) ||
    a >= 224
  );
}

/** The eight 16-bit groups of an IPv6 address (`isIP(ip) === 6`), a dotted IPv4 tail included. */
function v6Groups(ip: string): number[] {
  let s = ip.toLowerCase().split('%')[0]!;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    s = `${s.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = s.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...zeros, ...t].map((g) => Number.parseInt(g, 16));
}

/** The IPv4 address held in two 16-bit groups. */
const v4Of = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/**
 * True for loopback, private, link-local, carrier-grade NAT, multicast and unspecified
 * addresses (IPv4, IPv6), and for IPv6 addresses that carry an IPv4 address the network
 * translates to (mapped, compatible, NAT64 `64:ff9b::/96`, 6to4, Teredo): on an IPv6-only
 * cluster with NAT64, `[64:ff9b::a9fe:a9fe]` is the cloud metadata service 169.254.169.254.
 *
 * @example isPrivateAddress('169.254.169.254') // true
 */
export function isPrivateAddress(ip: string): boolean {
  const kind = isIP(ip);
  if (kind === 4) return v4Private(ip);
  if (kind !== 6) return true;
  const g = v6Groups(ip);
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  // ::/96 (unspecified, loopback, IPv4-compatible), ::ffff:0:0/96 (mapped), ::ffff:0:0:0/96 (SIIT).
  if (zeroUpTo(6) || (zeroUpTo(5) && g[5] === 0xffff)) return v4Private(v4Of(g[6]!, g[7]!));
  if (zeroUpTo(4) && g[4] === 0xffff && g[5] === 0) return v4Private(v4Of(g[6]!, g[7]!));
  if (g[0] === 0x64 && g[1] === 0xff9b) {
    // 64:ff9b::/96 translates to the embedded address; 64:ff9b:1::/48 is a local NAT64.
    return !g.slice(2, 6).every((x) => x === 0) || v4Private(v4Of(g[6]!, g[7]!));
  }
  if (g[0] === 0x2002) return v4Private(v4Of(g[1]!, g[2]!)); // 6to4
  if (g[0] === 0x2001 && g[1] === 0) return v4Private(v4Of(~g[6]! & 0xffff, ~g[7]! & 0xffff)); // Teredo
  const first = g[0]!;
  return (
    (first & 0xfe00) === 0xfc00 || // fc00::/7 unique local
    (first & 0xffc0) === 0xfe80 || // fe80::/10 link-local
    (first & 0xffc0) === 0xfec0 || // fec0::/10 site-local (deprecated, still routed by some)
    (first & 0xff00) === 0xff00 || // ff00::/8 multicast
    (first === 0x100 && g[1] === 0 && g[2] === 0 && g[3] === 0) || // 100::/64 discard
    (first === 0x2001 && g[1] === 0xdb8) || // documentation
    (first & 0xfff0) === 0x3ff0 || // 3fff::/20 documentation
    first === 0x5f00 // 5f00::/16 segment routing ids
  );
}

/**
 * The URL's host, lowercased, without IPv6 brackets or a final dot (`localhost.` is localhost),
 * or null for a malformed URL (validated elsewhere).
 */
function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname
      .toLowerCase()
      .replace(/^\[|\]$/g, '')
      .replace(/\.+$/, '');
  } catch {
    return null;
  }
}

/**
 * Names that only a local network resolves: a single label (`vm`, `ip6-localhost`, a compose
 * service), `localhost` and the suffixes reserved for private use.
 */
const LOCAL_NAME = /^[^.]+$|(^|\.)(localhost|internal|local|localdomain|lan|intranet|home\.arpa)$/;

/**
 * A problem with a webhook URL known without DNS (a literal private address, a local name such
 * as `localhost.` or `ip6-localhost`), or null. Checked when an endpoint is created.
 */
export function literalDestinationProblem(url: string): string | null {
  if (privateAllowed()) return null;
  const host = hostOf(url);
  if (host == null) return null;
  if (isIP(host))
    return isPrivateAddress(host) ? 'a public address (private destinations are disabled)' : null;
  if (LOCAL_NAME.test(host)) return 'a public host (private destinations are disabled)';
  return null;
}

/**
 * Resolves the host before each delivery and refuses private addresses, so a public name that
 * later points inside is refused too. (A rebinding between this lookup and the connection is
 * not prevented; a network egress policy is the complete answer.)
 */
export async function destinationProblem(url: string): Promise<string | null> {
  if (privateAllowed()) return null;
  const literal = literalDestinationProblem(url);
  if (literal) return 'destination is a private address';
  try {
    const addrs = await lookup(hostOf(url) ?? '', { all: true });
    if (addrs.some((a) => isPrivateAddress(a.address))) return 'destination is a private address';
    return null;
  } catch (err) {
    return `cannot resolve host: ${(err as Error).message}`.slice(0, 300);
  }
}
