import { isIP } from 'node:net';

/**
 * Webhook URL safety: an agency must not be able to point the broker at its own network
 * (metadata services, databases, admin ports). The caller resolves the host name, passes every
 * address here, and must then connect to one of the checked addresses (not resolve again), or a
 * DNS answer that changes between check and connect gets through.
 */

interface Range {
  /** 16 bytes; IPv4 ranges are written as IPv4-mapped IPv6 (::ffff:a.b.c.d). */
  bytes: number[];
  prefix: number;
  label: string;
}

function v4(cidr: string, label: string): Range {
  const [address, bits] = cidr.split('/') as [string, string];
  return {
    bytes: [...Array<number>(10).fill(0), 0xff, 0xff, ...address.split('.').map(Number)],
    prefix: 96 + Number(bits),
    label,
  };
}

function v6(cidr: string, label: string): Range {
  const [address, bits] = cidr.split('/') as [string, string];
  return { bytes: parseIPv6(address)!, prefix: Number(bits), label };
}

const BLOCKED: readonly Range[] = [
  v4('0.0.0.0/8', 'this network'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'carrier-grade NAT'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'IETF protocol assignments'),
  v4('192.0.2.0/24', 'documentation'),
  v4('192.88.99.0/24', '6to4 relay'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'benchmarking'),
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  v4('224.0.0.0/4', 'multicast'),
  v4('240.0.0.0/4', 'reserved'),
  v6('::/128', 'unspecified'),
  v6('::1/128', 'loopback'),
  v6('100::/64', 'discard'),
  v6('2001::/23', 'IETF protocol assignments'),
  v6('2001:db8::/32', 'documentation'),
  v6('fc00::/7', 'unique-local'),
  v6('fe80::/10', 'link-local'),
  v6('fec0::/10', 'site-local'),
  v6('ff00::/8', 'multicast'),
];

function parseIPv4(text: string): number[] | undefined {
  if (isIP(text) !== 4) return undefined;
  return text.split('.').map(Number);
}

/** 16 bytes, or undefined when the text is not an IPv6 address. Accepts a zone (%eth0) and a trailing IPv4. */
function parseIPv6(text: string): number[] | undefined {
  const address = text.replace(/%.*$/, '');
  if (isIP(address) !== 6) return undefined;
  let groups = address;
  const tail: number[] = [];
  const lastColon = groups.lastIndexOf(':');
  const maybeV4 = parseIPv4(groups.slice(lastColon + 1));
  if (maybeV4) {
    groups = `${groups.slice(0, lastColon + 1)}0:0`;
    tail.push(...maybeV4);
  }
  const [head = '', rest] = groups.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros = rest === undefined ? 0 : 8 - left.length - right.length;
  const words = [...left, ...Array<string>(zeros).fill('0'), ...right].map((w) => parseInt(w, 16));
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

function toBytes(ip: string): number[] | undefined {
  const four = parseIPv4(ip.trim());
  if (four) return [...Array<number>(10).fill(0), 0xff, 0xff, ...four];
  return parseIPv6(ip.trim().replace(/^\[|\]$/g, ''));
}

function inRange(bytes: readonly number[], range: Range): boolean {
  for (let bit = 0; bit < range.prefix; bit += 1) {
    const mask = 0x80 >> (bit % 8);
    if ((bytes[bit >> 3]! & mask) !== (range.bytes[bit >> 3]! & mask)) return false;
  }
  return true;
}

/** The IPv4 address an IPv6 address carries and a network may route to (mapped, compatible, NAT64, 6to4). */
function embeddedIPv4(bytes: readonly number[]): number[] | undefined {
  const zerosUpTo = (n: number) => bytes.slice(0, n).every((b) => b === 0);
  if (zerosUpTo(10) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12);
  if (zerosUpTo(12) && bytes.slice(12).some((b) => b !== 0) && !(zerosUpTo(15) && bytes[15] === 1)) {
    return bytes.slice(12); // deprecated IPv4-compatible ::a.b.c.d
  }
  if (
    bytes[0] === 0x00 &&
    bytes[1] === 0x64 &&
    bytes[2] === 0xff &&
    bytes[3] === 0x9b &&
    bytes.slice(4, 12).every((b) => b === 0)
  ) {
    return bytes.slice(12); // NAT64 well-known prefix 64:ff9b::/96
  }
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return bytes.slice(2, 6); // 6to4 2002::/16
  return undefined;
}

/** Why an address is not a public unicast address, or undefined when it is. 'not an IP address' for junk. */
export function privateAddressReason(ip: string): string | undefined {
  const bytes = toBytes(ip);
  if (!bytes) return 'not an IP address';
  const inner = embeddedIPv4(bytes);
  const candidates = inner ? [bytes, [...Array<number>(10).fill(0), 0xff, 0xff, ...inner]] : [bytes];
  for (const candidate of candidates) {
    const hit = BLOCKED.find((range) => inRange(candidate, range));
    if (hit) return hit.label;
  }
  return undefined;
}

/** True for private, loopback, link-local, CGNAT, unique-local and other non-public addresses, mapped or not. */
export function isPrivateAddress(ip: string): boolean {
  return privateAddressReason(ip) !== undefined;
}

export type UrlCheck = { ok: true } | { ok: false; reason: string };

/**
 * An allow-list entry is a host name (`localhost`), an address (`127.0.0.1`) or a CIDR range
 * (`10.0.0.0/8`, `fd00::/8`). It is meant for development and tests only.
 */
export function checkWebhookUrl(
  url: string,
  resolvedAddresses: readonly string[],
  allowList: readonly string[] = [],
): UrlCheck {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'not a valid URL' };
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const hostAllowed = allowList.some((entry) => entry.toLowerCase() === host);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && hostAllowed)) {
    return { ok: false, reason: `scheme ${parsed.protocol.replace(':', '')} is not allowed; use https` };
  }
  if (parsed.username !== '' || parsed.password !== '')
    return { ok: false, reason: 'credentials in the URL are not allowed' };
  if (parsed.hash !== '') return { ok: false, reason: 'a fragment is not allowed' };

  // An address literal in the URL is checked as itself, whatever the resolver said.
  const addresses = isIP(host) ? [host] : resolvedAddresses;
  if (addresses.length === 0) return { ok: false, reason: `host ${host} did not resolve` };
  if (hostAllowed) return { ok: true };
  for (const address of addresses) {
    const reason = privateAddressReason(address);
    if (reason && !allowList.some((entry) => addressAllowed(address, entry))) {
      return { ok: false, reason: `host ${host} resolves to ${address}, a ${reason} address` };
    }
  }
  return { ok: true };
}

function addressAllowed(address: string, entry: string): boolean {
  const bytes = toBytes(address);
  if (!bytes) return false;
  const [base, bits] = entry.split('/') as [string, string | undefined];
  const baseBytes = toBytes(base);
  if (!baseBytes) return false;
  const isV4 = isIP(base) === 4;
  const prefix = bits === undefined ? 128 : Number(bits) + (isV4 ? 96 : 0);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 128) return false;
  return inRange(bytes, { bytes: baseBytes, prefix, label: 'allowed' });
}
