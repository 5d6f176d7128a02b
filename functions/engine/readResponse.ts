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
 * `X-Ratelimit-Retryafter`: epoch seconds in practice (gofalcon, psfalcon), epoch ms per the spec text.
 * Values above 10^12 are milliseconds; small values are read as delta seconds, defensively.
 */
export function retryAfter(headers: Record<string, string>): RetryAfter | null {
  const raw = header(headers, 'x-ratelimit-retryafter') ?? header(headers, 'retry-after');
  if (raw === undefined || raw.trim() === '') return null;
  const value = Number(raw.trim());
  if (!Number.isFinite(value) || value < 0) return null;
  if (value > 1e12) return { kind: 'at', serverMs: value };
  if (value > 1e9) return { kind: 'at', serverMs: value * 1000 };
  return { kind: 'delay', ms: value * 1000 };
}

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
