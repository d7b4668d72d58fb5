/**
 * The address guard: links in feeds are untrusted, so a fetch may only reach public unicast
 * addresses unless the operator allowed a host, IP or CIDR explicitly (`allowHosts`).
 *
 * The check runs twice, on purpose: on the URL before anything is sent (IP literals, including
 * tricks such as `http://0x7f000001/`, which the WHATWG URL parser turns into `127.0.0.1`), and
 * inside the socket's DNS lookup ({@link guardedLookup}), so the address connected to is the
 * address checked — a DNS answer that changes between check and connect (rebinding) cannot slip
 * through.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** A parsed `allowHosts` list: host names (exact, case-insensitive), single IPs and CIDRs. */
export interface AllowList {
  readonly names: ReadonlySet<string>;
  readonly ranges: readonly (readonly [IpAddress, number])[];
}

/** Thrown (or passed to the lookup callback) when a host resolves to a refused address. */
export class BlockedAddressError extends Error {
  readonly code = 'BLOCKED_ADDRESS';
  readonly host: string;
  readonly address: string;
  /** ipaddr.js range name, e.g. `loopback`, `private`, `linkLocal`. */
  readonly range: string;
  constructor(host: string, address: string, range: string) {
    super(
      host === address
        ? `address ${address} is ${range}, not allowed (add it to allowHosts / BRIEFBOT_ALLOW_HOSTS to permit)`
        : `${host} resolves to ${address} (${range}), not allowed (add it to allowHosts / BRIEFBOT_ALLOW_HOSTS to permit)`,
    );
    this.name = 'BlockedAddressError';
    this.host = host;
    this.address = address;
    this.range = range;
  }
}

/**
 * Strips IPv6 brackets, a trailing root dot and case, so `[::1]` and `::1`, `LocalHost.` and
 * `localhost` match.
 */
function normalizeHost(host: string): string {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/** IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is judged as the IPv4 address it carries. */
function unmap(address: IpAddress): IpAddress {
  return address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress() ? address.toIPv4Address() : address;
}

/**
 * Parses allowHosts entries: `localhost`, `127.0.0.1`, `::1`, `[::1]`, `10.0.0.0/8`, `fd00::/8`.
 * An entry that is neither an IP nor a CIDR is taken as a host name.
 */
export function parseAllowList(entries: readonly string[]): AllowList {
  const names = new Set<string>();
  const ranges: (readonly [IpAddress, number])[] = [];
  for (const raw of entries) {
    const entry = normalizeHost(raw);
    if (entry === '') continue;
    if (entry.includes('/')) {
      try {
        const [ip, bits] = ipaddr.parseCIDR(entry);
        ranges.push([ip, bits]);
        continue;
      } catch {
        // not a CIDR: fall through and keep it as a name (it will simply never match)
      }
    }
    if (ipaddr.isValid(entry)) {
      const ip = unmap(ipaddr.parse(entry));
      ranges.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
    } else {
      names.add(entry);
    }
  }
  return { names, ranges };
}

function ipAllowed(ip: IpAddress, allow: AllowList): boolean {
  return allow.ranges.some(([net, bits]) => {
    if (net.kind() !== ip.kind()) return false;
    return ip.match(net as never, bits);
  });
}

/**
 * Why an address may not be reached, or undefined when it may: only public unicast addresses
 * pass (ipaddr.js range `unicast`); loopback, private, link-local (incl. 169.254.169.254),
 * unique-local, CGNAT, 0/8, multicast, broadcast, reserved, NAT64/6to4/Teredo and
 * IPv4-mapped forms of those are refused. Unparseable input is refused too.
 */
export function addressRefusal(address: string): string | undefined {
  const text = normalizeHost(address);
  if (!ipaddr.isValid(text)) return 'not an IP address';
  const ip = unmap(ipaddr.parse(text));
  const range = ip.range();
  return range === 'unicast' ? undefined : range;
}

/** True when `host` is an allowed name, or `address` is in an allowed IP/CIDR. */
export function isAllowed(host: string, address: string | undefined, allow: AllowList): boolean {
  if (allow.names.has(normalizeHost(host))) return true;
  if (address === undefined || !ipaddr.isValid(normalizeHost(address))) return false;
  return ipAllowed(unmap(ipaddr.parse(normalizeHost(address))), allow);
}

/**
 * Checks one resolved address for a host; throws {@link BlockedAddressError} if refused.
 * `host` is the name from the URL (or the IP literal itself).
 */
export function assertAddressAllowed(host: string, address: string, allow: AllowList): void {
  if (isAllowed(host, address, allow)) return;
  const refusal = addressRefusal(address);
  if (refusal !== undefined) throw new BlockedAddressError(normalizeHost(host), normalizeHost(address), refusal);
}

/**
 * Pre-connect check of a URL's host. IP literals are judged here, without any network access
 * (Node connects to a literal without calling the lookup, so this is where they are caught);
 * names are judged later by {@link guardedLookup}, on the addresses actually connected to.
 */
export function assertHostAllowed(hostname: string, allow: AllowList): void {
  const host = normalizeHost(hostname);
  if (isIP(host) !== 0) assertAddressAllowed(host, host, allow);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `dns.lookup`-compatible function for socket options (`net.connect({ lookup })`, undici's
 * `connect.lookup`): resolves ALL addresses of the host, drops every refused one, and answers
 * the socket with only the permitted addresses — or with a {@link BlockedAddressError} when
 * none is left.
 */
export function guardedLookup(allow: AllowList) {
  return function lookup(hostname: string, options: unknown, callback: LookupCallback): void {
    const opts = (typeof options === 'object' && options !== null ? options : {}) as Partial<LookupAllOptions> & {
      family?: number | string;
    };
    const family = opts.family === 'IPv4' ? 4 : opts.family === 'IPv6' ? 6 : typeof opts.family === 'number' ? opts.family : 0;
    dnsLookup(hostname, { all: true, family, ...(opts.hints !== undefined && { hints: opts.hints }) }, (error, addresses) => {
      if (error) {
        callback(error, opts.all ? [] : '', 0);
        return;
      }
      // Keep only the addresses that pass; the socket is handed nothing else, so whatever it
      // connects to was checked. (`localhost` → [::1, 127.0.0.1] with only 127.0.0.1 allowed
      // connects to 127.0.0.1.)
      let refused: BlockedAddressError | undefined;
      const permitted = addresses.filter((entry) => {
        try {
          assertAddressAllowed(hostname, entry.address, allow);
          return true;
        } catch (error) {
          refused ??= error as BlockedAddressError;
          return false;
        }
      });
      if (permitted.length === 0 && refused) {
        callback(refused as unknown as NodeJS.ErrnoException, opts.all ? [] : '', 0);
        return;
      }
      const first = permitted[0];
      if (opts.all) callback(null, permitted);
      else if (first) callback(null, first.address, first.family);
      else callback(Object.assign(new Error(`no addresses for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
    });
  };
}
