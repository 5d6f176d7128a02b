import type { IngestBatchForms } from '../profiles.ts';

export type IngestEvent = Record<string, unknown>;

export type IngestDataResult = { kind: 'events'; events: IngestEvent[] } | { kind: 'invalid'; message: string };

/**
 * The events in the JSON data of one ingest call: one JSON object (one event), a JSON array of objects,
 * or NDJSON (one object per line). Which forms the real API splits into several events is UNVERIFIED,
 * hence `batchForms`: with `'none'` only a single object is taken, so a client that batches is told so
 * instead of silently storing one odd event.
 */
export function parseIngestData(field: string, text: string, batchForms: IngestBatchForms): IngestDataResult {
  if (text.trim() === '') return invalid(field, 'it is empty');
  const whole = tryParse(text);
  if (whole.kind === 'json') return fromWholeDocument(field, whole.value, batchForms);

  // Not one JSON document: NDJSON, where blank lines (a trailing newline, say) carry no event.
  const lines = text.split(/\r?\n/).map((line, i) => ({ line, number: i + 1 })).filter(({ line }) => line.trim() !== '');
  if (lines.length < 2) return invalid(field, `it is not valid JSON (${whole.message})`);
  if (batchForms === 'none') return invalid(field, `it holds ${lines.length} lines of NDJSON, and this sandbox takes one JSON object per call (ingestBatchForms: 'none')`);
  const events: IngestEvent[] = [];
  for (const { line, number } of lines) {
    const parsed = tryParse(line);
    if (parsed.kind === 'error') return invalid(field, `NDJSON line ${number} is not valid JSON (${parsed.message})`);
    if (!isObject(parsed.value)) return invalid(field, `NDJSON line ${number} is ${describe(parsed.value)}, not an object`);
    events.push(parsed.value);
  }
  return { kind: 'events', events };
}

function fromWholeDocument(field: string, value: unknown, batchForms: IngestBatchForms): IngestDataResult {
  if (isObject(value)) return { kind: 'events', events: [value] };
  if (!Array.isArray(value)) return invalid(field, `it is ${describe(value)}; send a JSON object, a JSON array of objects or NDJSON`);
  if (batchForms === 'none') return invalid(field, `it is a JSON array, and this sandbox takes one JSON object per call (ingestBatchForms: 'none')`);
  if (value.length === 0) return invalid(field, 'it is an empty JSON array: no events');
  const events: IngestEvent[] = [];
  for (const [i, item] of value.entries()) {
    if (!isObject(item)) return invalid(field, `element [${i}] of the JSON array is ${describe(item)}, not an object`);
    events.push(item);
  }
  return { kind: 'events', events };
}

type ParseResult = { kind: 'json'; value: unknown } | { kind: 'error'; message: string };

function tryParse(text: string): ParseResult {
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
}

function isObject(value: unknown): value is IngestEvent {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function invalid(field: string, problem: string): IngestDataResult {
  return { kind: 'invalid', message: `The ${field} field is not ingestible JSON data: ${problem}` };
}
