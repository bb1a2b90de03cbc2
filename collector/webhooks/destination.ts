/**
 * Where webhooks may go: public http(s) hosts only, unless private destinations are allowed
 * (`TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE=1`, for local development and tests). Otherwise a site's
 * secret key would let its holder make the collector POST into the operator's private network.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** Private destinations allowed? Read at call time so tests and operators can switch it. */
export const privateAllowed = () => process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE === '1';

function v4Private(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

/**
 * True for loopback, private, link-local, carrier-grade NAT, multicast and unspecified
 * addresses (IPv4, IPv6 and IPv4-mapped IPv6).
 *
 * @example isPrivateAddress('169.254.169.254') // true
 */
export function isPrivateAddress(ip: string): boolean {
  const kind = isIP(ip);
  if (kind === 4) return v4Private(ip);
  if (kind !== 6) return true;
  const v6 = ip.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (mapped) return v4Private(mapped[1]!);
  return (
    v6 === '::' ||
    v6 === '::1' ||
    /^f[cd]/.test(v6) ||
    /^fe[89ab]/.test(v6) ||
    v6.startsWith('ff') ||
    v6.startsWith('::ffff:')
  );
}

/** The URL's host without IPv6 brackets, or null for a malformed URL (validated elsewhere). */
function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
}

/**
 * A problem with a webhook URL known without DNS (a literal private address, `localhost`), or
 * null. Checked when an endpoint is created.
 */
export function literalDestinationProblem(url: string): string | null {
  if (privateAllowed()) return null;
  const host = hostOf(url)?.toLowerCase();
  if (host === undefined) return null;
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal'))
    return 'a public host (private destinations are disabled)';
  if (isIP(host) && isPrivateAddress(host))
    return 'a public address (private destinations are disabled)';
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
