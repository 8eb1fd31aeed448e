// IP address helpers of the analysis: one canonical form, and which addresses are public.
import { isIP } from 'node:net';

/** Dotted-quad with zero-padded octets (some anonymisers and exports write 08.1.250.216) -> canonical form; other strings unchanged. */
export function normaliseIp(raw: unknown): string | null {
  const s = typeof raw === 'string' ? raw.trim() : '';
  if (!s) return null;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (m) {
    const octets = m.slice(1, 5).map(Number);
    if (octets.every((o) => o <= 255)) return octets.join('.');
    return s;
  }
  if (isIP(s) === 6) return s.toLowerCase();
  return s;
}

/** A literal IPv4 or IPv6 address (not a service name such as bedrock.amazonaws.com). */
export const isIpAddress = (ip: string | null): ip is string => ip !== null && isIP(ip) !== 0;

/** A routable public address (not private, loopback, link-local, CGNAT, unspecified); false for service names. */
export function isPublicIp(ip: string | null): boolean {
  if (!ip) return false;
  const v = isIP(ip);
  if (v === 4) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    if (a === 10 || a === 127 || a === 0 || a >= 224) return false;
    if (a === 172 && b >= 16 && b <= 31) return false;
    if (a === 192 && b === 168) return false;
    if (a === 169 && b === 254) return false;
    if (a === 100 && b >= 64 && b <= 127) return false;
    return true;
  }
  if (v === 6) {
    const l = ip.toLowerCase();
    return !(l === '::1' || l === '::' || l.startsWith('fc') || l.startsWith('fd') || l.startsWith('fe80'));
  }
  return false;
}
