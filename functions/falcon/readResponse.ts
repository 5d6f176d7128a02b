/** Case-insensitive header lookup: Falcon sends `X-Ratelimit-Limit`, its spec writes `X-RateLimit-Limit`. */
export function header(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const key of Object.keys(headers)) if (key.toLowerCase() === wanted) return headers[key];
  return undefined;
}

/** `https://host[:port]`, lower-cased, of an absolute URL; null for a relative one. */
export function originOf(url: string): string | null {
  const match = /^(https?:\/\/[^/?#]+)/i.exec(url);
  return match ? (match[1] as string).toLowerCase() : null;
}

export function serverDateMs(headers: Record<string, string>): number | null {
  const value = header(headers, 'date');
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

export type RetryAfter = { kind: 'at'; serverMs: number } | { kind: 'delay'; ms: number };

/**
 * `X-Ratelimit-Retryafter` (else `Retry-After`), read against the server's clock. Falcon sends epoch
 * seconds (gofalcon, psfalcon), its spec text says epoch milliseconds, `Retry-After` may be an HTTP date.
 * A number is an epoch only when it lands within a day of the server's now; anything else (`2000`, a
 * date centuries away) is read as relative seconds and capped at ENGINE_DEFAULTS' longest wait, because a
 * misread value must not park an export for half an hour.
 */
export function retryAfter(headers: Record<string, string>, serverNowMs: number, maxWaitMs: number): RetryAfter | null {
  const raw = (header(headers, 'x-ratelimit-retryafter') ?? header(headers, 'retry-after'))?.trim();
  if (raw === undefined || raw === '') return null;
  if (!/^\d+(\.\d+)?$/.test(raw)) {
    // RFC 9110 HTTP-date, e.g. "Wed, 21 Oct 2026 07:28:00 GMT".
    const at = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(raw) ? Date.parse(raw) : Number.NaN;
    return Number.isFinite(at) ? { kind: 'at', serverMs: Math.min(at, serverNowMs + maxWaitMs) } : null;
  }
  const value = Number(raw);
  const plausible = (ms: number): boolean => Math.abs(ms - serverNowMs) <= PLAUSIBLE_EPOCH_MS;
  if (value >= 1e12 && plausible(value)) return { kind: 'at', serverMs: value };
  if (value >= 1e9 && plausible(value * 1000)) return { kind: 'at', serverMs: value * 1000 };
  return { kind: 'delay', ms: Math.min(value * 1000, maxWaitMs) };
}

/** How far from the server's now an epoch Retryafter may be and still be read as one. */
const PLAUSIBLE_EPOCH_MS = 86_400_000;

export function rateLimitRemaining(headers: Record<string, string>): number | null {
  const raw = header(headers, 'x-ratelimit-remaining');
  if (raw === undefined) return null;
  const value = Number(raw);
  return Number.isFinite(value) ? value : null;
}

export function parseJson(body: string): { ok: true; value: unknown } | { ok: false } {
  const trimmed = body.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false };
  }
}

/** Recognises the depth-cap refusals of falcon-api.md §4.3 and returns the largest offset+limit they allow. */
export function depthCapFromMessage(message: string): number | null {
  const lessThan = /must be less than (\d+)/i.exec(message);
  if (lessThan) return Number(lessThan[1]) - 1;
  const orEqual = /less than or equal to (\d+)/i.exec(message);
  if (orEqual) return Number(orEqual[1]);
  return null;
}

export function isExpiredContextMessage(message: string): boolean {
  return /search context expired|no longer valid|expired/i.test(message);
}
