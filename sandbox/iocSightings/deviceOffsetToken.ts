/**
 * The devices query's next-offset token: opaque to clients (the spec types `offset` as a string and the
 * answer carries no `total`), bound to the indicator it pages, stateless on the server. Decimal strings
 * are positions too: psfalcon's legacy Get-FalconIocHost sends `offset` as an integer.
 */
const PREFIX = 'dv1';

export function encodeDeviceOffset(position: number, key: string): string {
  return Buffer.from(`${PREFIX}:${position}:${keyHash(key)}`, 'utf8').toString('base64url');
}

/** The position a token (or a decimal offset) points at, or null when it is not one this query issued. */
export function decodeDeviceOffset(token: string, key: string): number | null {
  if (/^\d{1,9}$/.test(token)) return Number(token);
  const parts = Buffer.from(token, 'base64url').toString('utf8').split(':');
  if (parts.length !== 3 || parts[0] !== PREFIX || parts[2] !== keyHash(key)) return null;
  const position = Number(parts[1]);
  return Number.isSafeInteger(position) && position >= 0 ? position : null;
}

/** FNV-1a, 32 bits, as hex: enough to refuse a token of another indicator. */
function keyHash(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}
