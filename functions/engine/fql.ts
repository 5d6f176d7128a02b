import type { WatermarkKind } from '../falcon/streams.ts';
import type { KeyRange, WatermarkValue } from './KeyRange.ts';

/** Quotes a value for FQL: single quotes, with backslash and quote escaped. */
export function fqlQuote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function fqlLiteral(kind: WatermarkKind, value: WatermarkValue): string {
  return kind === 'epoch' && typeof value === 'number' ? String(value) : fqlQuote(String(value));
}

/** FQL for a list of ranges: each range is an AND of its bounds, the ranges are ORed. Empty string = no restriction. */
export function rangesFilter(field: string, kind: WatermarkKind, ranges: readonly KeyRange[]): string {
  const clauses: string[] = [];
  for (const range of ranges) {
    const parts: string[] = [];
    if (range.from) parts.push(`${field}:>=${fqlLiteral(kind, range.from.value)}`);
    if (range.to) parts.push(`${field}:<=${fqlLiteral(kind, range.to.value)}`);
    if (parts.length === 0) return '';
    clauses.push(parts.join('+'));
  }
  if (clauses.length === 1) return clauses[0] as string;
  return clauses.map((c) => `(${c})`).join(',');
}

/** ANDs the user's filter with the engine's range clause. */
export function andFilters(user: string, engine: string): string {
  if (!user) return engine;
  if (!engine) return user;
  return `(${user})+(${engine})`;
}

export const MAX_USER_FILTER_CHARS = 2048;

export type FilterProblem = { position: number; message: string };

/**
 * Rejects filters that would break the engine's own quoting when it ANDs a watermark clause onto them:
 * unbalanced quotes or parentheses, control characters, excessive length.
 */
export function checkUserFilter(filter: string): FilterProblem | null {
  // The engine adds up to ENGINE_DEFAULTS.maxRangeFilterChars of its own; together they must fit one URL.
  if (filter.length > MAX_USER_FILTER_CHARS) {
    return { position: MAX_USER_FILTER_CHARS, message: `is longer than ${MAX_USER_FILTER_CHARS} characters` };
  }
  let depth = 0;
  let quote: string | null = null;
  let quoteStart = 0;
  for (let i = 0; i < filter.length; i++) {
    const ch = filter.charAt(i);
    if (ch.charCodeAt(0) < 0x20) return { position: i, message: 'contains a control character' };
    if (quote) {
      if (ch === '\\') {
        i++;
        if (filter.charCodeAt(i) < 0x20) return { position: i, message: 'contains a control character' };
      } else if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      quoteStart = i;
    } else if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth < 0) return { position: i, message: 'closes a parenthesis that was never opened' };
    }
  }
  if (quote) return { position: quoteStart, message: `opens a ${quote} quote that is never closed` };
  if (depth > 0) return { position: filter.length, message: `leaves ${depth} parenthesis(es) open` };
  return null;
}
