import type { SandboxRequest, SandboxResponse } from '../exchange.ts';
import type { JsonValue } from '../fql/compileFql.ts';
import { envelopeReply, errorReply, latencyFor, type ReplyContext } from '../replies.ts';

const POWERED_BY = 'custom-storage';
const PREFIX = '/customobjects/v1/collections/';
/** falconpy `_custom_storage.py`: keys are 1–1000 characters, collection names 1–255. */
const MAX_KEY_CHARS = 1000;
const MAX_COLLECTION_CHARS = 255;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 1000;

interface StoredObject {
  body: string;
  fields: Record<string, unknown>;
  version: number;
  lastModifiedMs: number;
}

type Operation =
  | { kind: 'put'; collection: string; key: string }
  | { kind: 'get'; collection: string; key: string }
  | { kind: 'delete'; collection: string; key: string }
  | { kind: 'list'; collection: string }
  | { kind: 'search'; collection: string };

/**
 * Foundry custom storage (foundry-platform.md §4): put, get, list, search and delete over collections,
 * with the request shapes of falconpy's CustomStorage. What the real service answers to each mistake is
 * UNVERIFIED; the sandbox answers the envelope errors a Falcon gateway would, with messages that name the fix.
 * Authentication and the rate limit are the caller's (FalconSandbox) job.
 */
export class CollectionStore {
  readonly #collections = new Map<string, Map<string, StoredObject>>();

  static handles(pathname: string): boolean {
    return pathname.startsWith(PREFIX);
  }

  /** A direct read for tests and the workflow runner's collection actions. */
  object(collection: string, key: string): unknown {
    const stored = this.#collections.get(collection)?.get(key);
    return stored === undefined ? undefined : (JSON.parse(stored.body) as unknown);
  }

  /** A direct write for harnesses that provision an install (a signing key, say) before its first run. */
  put(collection: string, key: string, object: unknown, nowMs: number): void {
    const body = JSON.stringify(object);
    const objects = this.#collections.get(collection) ?? new Map<string, StoredObject>();
    this.#collections.set(collection, objects);
    objects.set(key, { body, fields: JSON.parse(body) as Record<string, unknown>, version: (objects.get(key)?.version ?? 0) + 1, lastModifiedMs: nowMs });
  }

  keys(collection: string): string[] {
    return [...(this.#collections.get(collection)?.keys() ?? [])].sort();
  }

  handle(request: SandboxRequest, url: URL, headers: Map<string, string>, reply: ReplyContext): SandboxResponse {
    const operation = parseOperation(request.method.toUpperCase(), url.pathname);
    if (operation === null) return errorReply(reply, 404, POWERED_BY, `No custom storage operation for ${request.method} ${url.pathname}`);
    if ((headers.get('x-cs-app-id') ?? '') === '') {
      return errorReply(reply, 400, POWERED_BY, 'The X-CS-APP-ID header is required: it names the app whose collections are used');
    }
    if (operation.collection.length > MAX_COLLECTION_CHARS) return errorReply(reply, 400, POWERED_BY, 'collection name longer than 255 characters');
    // PutObject and DeleteObject take `dry_run` (FalconPy custom_storage): validate, answer, write nothing.
    const dryRunText = url.searchParams.get('dry_run');
    const dryRun = dryRunText === null || dryRunText === 'false' ? false : dryRunText === 'true' ? true : null;
    switch (operation.kind) {
      case 'put':
        if (dryRun === null) return errorReply(reply, 400, POWERED_BY, `invalid dry_run "${dryRunText ?? ''}": must be true or false`);
        return this.#put(operation.collection, operation.key, request.body ?? '', reply, dryRun);
      case 'get':
        return this.#get(operation.collection, operation.key, reply);
      case 'delete':
        if (dryRun === null) return errorReply(reply, 400, POWERED_BY, `invalid dry_run "${dryRunText ?? ''}": must be true or false`);
        return this.#delete(operation.collection, operation.key, reply, dryRun);
      case 'list':
        return this.#list(operation.collection, url.searchParams, reply);
      case 'search':
        return this.#search(operation.collection, url.searchParams, reply);
    }
  }

  #put(collection: string, key: string, body: string, reply: ReplyContext, dryRun: boolean): SandboxResponse {
    if (key.length === 0 || key.length > MAX_KEY_CHARS) return errorReply(reply, 400, POWERED_BY, 'object key must be 1 to 1000 characters');
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return errorReply(reply, 400, POWERED_BY, 'request body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return errorReply(reply, 400, POWERED_BY, 'request body must be a JSON object');
    }
    const objects = this.#collections.get(collection) ?? new Map<string, StoredObject>();
    const version = (objects.get(key)?.version ?? 0) + 1;
    // A dry run answers the metadata the write would have produced.
    if (dryRun) return envelopeReply(reply, 200, { poweredBy: POWERED_BY, resources: [metadata(collection, key, version, reply.nowMs)] });
    objects.set(key, { body, fields: parsed as Record<string, unknown>, version, lastModifiedMs: reply.nowMs });
    this.#collections.set(collection, objects);
    return envelopeReply(reply, 200, { poweredBy: POWERED_BY, resources: [metadata(collection, key, version, reply.nowMs)] });
  }

  #get(collection: string, key: string, reply: ReplyContext): SandboxResponse {
    const stored = this.#collections.get(collection)?.get(key);
    if (stored === undefined) return errorReply(reply, 404, POWERED_BY, `object ${key} not found in collection ${collection}`);
    // GetObject answers the object's own bytes, not an envelope (falconpy returns them raw).
    return {
      kind: 'http',
      status: 200,
      headers: { 'Content-Type': 'application/octet-stream', Date: new Date(reply.nowMs).toUTCString(), 'X-Cs-Traceid': reply.traceId },
      body: stored.body,
      latencyMs: latencyFor(1),
    };
  }

  #delete(collection: string, key: string, reply: ReplyContext, dryRun: boolean): SandboxResponse {
    const objects = this.#collections.get(collection);
    const stored = objects?.get(key);
    if (objects === undefined || stored === undefined) return errorReply(reply, 404, POWERED_BY, `object ${key} not found in collection ${collection}`);
    if (!dryRun) objects.delete(key);
    return envelopeReply(reply, 200, { poweredBy: POWERED_BY, resources: [metadata(collection, key, stored.version, reply.nowMs)] });
  }

  #list(collection: string, params: URLSearchParams, reply: ReplyContext): SandboxResponse {
    const limit = parseLimit(params.get('limit'));
    if (limit === null) return errorReply(reply, 400, POWERED_BY, `limit must be an integer from 1 to ${MAX_LIMIT}`);
    const start = params.get('start') ?? '';
    const end = params.get('end') ?? '';
    const keys = this.keys(collection).filter((k) => k >= start && (end === '' || k < end));
    const page = keys.slice(0, limit);
    const next = keys[limit];
    const pagination: Record<string, JsonValue> = { limit };
    if (next !== undefined) pagination['next'] = next;
    return envelopeReply(reply, 200, { poweredBy: POWERED_BY, resources: page, pagination });
  }

  #search(collection: string, params: URLSearchParams, reply: ReplyContext): SandboxResponse {
    const limit = parseLimit(params.get('limit'));
    if (limit === null) return errorReply(reply, 400, POWERED_BY, `limit must be an integer from 1 to ${MAX_LIMIT}`);
    const offset = Number(params.get('offset') ?? '0');
    if (!Number.isInteger(offset) || offset < 0) return errorReply(reply, 400, POWERED_BY, 'offset must be a non-negative integer');
    const filter = parseExactFilter(params.get('filter') ?? '');
    if (filter === null) return errorReply(reply, 400, POWERED_BY, "filter must be field:'value' terms joined with +");
    const sort = parseSort(params.get('sort') ?? '');
    if (sort === null) return errorReply(reply, 400, POWERED_BY, 'sort must be field.asc or field.desc');
    const objects = this.#collections.get(collection) ?? new Map<string, StoredObject>();
    const matching = [...objects.entries()].filter(([, o]) => filter.every(([field, value]) => String(o.fields[field]) === value));
    matching.sort(([ka, a], [kb, b]) => {
      if (sort !== 'none') {
        const order = compareValues(a.fields[sort.field], b.fields[sort.field]);
        if (order !== 0) return sort.direction === 'asc' ? order : -order;
      }
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    const page = matching.slice(offset, offset + limit).map(([key, o]) => metadata(collection, key, o.version, o.lastModifiedMs));
    return envelopeReply(reply, 200, { poweredBy: POWERED_BY, resources: page, pagination: { limit, offset, total: matching.length } });
  }
}

function parseOperation(method: string, pathname: string): Operation | null {
  const rest = pathname.slice(PREFIX.length).split('/');
  const collection = decodeURIComponent(rest[0] ?? '');
  if (collection === '' || rest[1] !== 'objects') return null;
  if (rest.length === 2) {
    if (method === 'GET') return { kind: 'list', collection };
    if (method === 'POST') return { kind: 'search', collection };
    return null;
  }
  if (rest.length !== 3) return null;
  const key = decodeURIComponent(rest[2] ?? '');
  switch (method) {
    case 'PUT':
      return { kind: 'put', collection, key };
    case 'GET':
      return { kind: 'get', collection, key };
    case 'DELETE':
      return { kind: 'delete', collection, key };
    default:
      return null;
  }
}

/** `last_modified_time` is a date-time (falconjs `ApiObjectMetadata` does `new Date(...)`): RFC 3339, not epoch seconds. */
function metadata(collection: string, key: string, version: number, modifiedMs: number): JsonValue {
  // falconjs requires `namespace` too; its value for collections is UNVERIFIED.
  return { collection_name: collection, object_key: key, schema_version: 'v1', version, last_modified_time: new Date(modifiedMs).toISOString(), namespace: 'custom_storage' };
}

function parseLimit(raw: string | null): number | null {
  if (raw === null) return DEFAULT_LIMIT;
  const limit = Number(raw);
  return Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIMIT ? limit : null;
}

/** Collection search is exact match on fields (foundry-js README), written as FQL `field:'value'` terms. */
function parseExactFilter(filter: string): Array<[string, string]> | null {
  if (filter.trim() === '') return [];
  const terms: Array<[string, string]> = [];
  for (const term of filter.split('+')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*:\s*(?:'((?:[^'\\]|\\.)*)'|(-?\d+(?:\.\d+)?))\s*$/.exec(term);
    if (match === null) return null;
    terms.push([match[1] ?? '', (match[2] ?? match[3] ?? '').replace(/\\(.)/g, '$1')]);
  }
  return terms;
}

function parseSort(sort: string): { field: string; direction: 'asc' | 'desc' } | 'none' | null {
  if (sort === '') return 'none';
  const match = /^([A-Za-z_][A-Za-z0-9_]*)[.|](asc|desc)$/.exec(sort);
  return match === null ? null : { field: match[1] ?? '', direction: match[2] === 'desc' ? 'desc' : 'asc' };
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
