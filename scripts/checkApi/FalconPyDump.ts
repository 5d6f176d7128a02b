import { z } from 'zod';

/**
 * FalconPy's endpoint tables as `dump_falconpy_endpoints.py` prints them, validated at the boundary and
 * renamed to camelCase. Values FalconPy leaves free-form (`default`, `items`) stay `unknown`.
 */

/** Where a deprecation mark was found: the description text, or FalconPy's call-time warning table. */
export type DeprecationMark = 'description' | 'operation-mapping';

export interface EndpointParam {
  name: string;
  /** FalconPy's (swagger's) location: query, body, formData, path or header. */
  in: string;
  type: string | null;
  enum: Array<string | number> | null;
  minimum: number | null;
  maximum: number | null;
  default: unknown;
  items: unknown;
  description: string | null;
}

export interface EndpointDefinition {
  operation: string;
  method: string;
  path: string;
  collection: string;
  deprecated: boolean;
  deprecationMarks: DeprecationMark[];
  /** The decommission date the description names ("September 30, 2025"), else null. */
  decommissioned: string | null;
  /** The description says the route is or will be decommissioned, with or without a date. */
  decommissionedMarked: boolean;
  /** A replacement path the deprecation text names, else null. */
  successor: string | null;
  /** A replacement operation id the deprecation text or FalconPy's mapping names, else null. */
  successorOperation: string | null;
  description: string;
  params: EndpointParam[];
}

export interface FalconPyDump {
  falconpyVersion: string;
  /** `falconpy._endpoint._*` modules read; zero means the dumper found none and the check would be empty. */
  modules: number;
  endpoints: EndpointDefinition[];
}

const paramSchema = z.object({
  name: z.string().min(1),
  in: z.string().min(1),
  type: z.string().nullable(),
  enum: z.array(z.union([z.string(), z.number()])).nullable(),
  minimum: z.number().nullable(),
  maximum: z.number().nullable(),
  default: z.unknown(),
  items: z.unknown(),
  description: z.string().nullable(),
});

const endpointSchema = z.object({
  operation: z.string().min(1),
  method: z.string().regex(/^[A-Z]+$/, 'must be an upper-case HTTP method'),
  path: z.string().startsWith('/'),
  collection: z.string(),
  deprecated: z.boolean(),
  deprecation_marks: z.array(z.enum(['description', 'operation-mapping'])),
  decommissioned: z.string().nullable(),
  decommissioned_marked: z.boolean(),
  successor: z.string().nullable(),
  successor_operation: z.string().nullable(),
  description: z.string(),
  params: z.array(paramSchema),
});

const dumpSchema = z.object({
  falconpy_version: z.string().min(1),
  modules: z.number().int().positive(),
  endpoints: z.array(endpointSchema).min(1),
});

export type ParsedDump = { ok: true; dump: FalconPyDump } | { ok: false; message: string };

export function parseFalconPyDump(raw: unknown): ParsedDump {
  const parsed = dumpSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.length === 0 ? '(root)' : i.path.join('.')}: ${i.message}`);
    return {
      ok: false,
      message: `The FalconPy endpoint dump does not have the expected shape (${issues.join('; ')}). FalconPy may have changed its _endpoint tables; update scripts/checkApi/dump_falconpy_endpoints.py and FalconPyDump.ts together.`,
    };
  }
  const data = parsed.data;
  return {
    ok: true,
    dump: {
      falconpyVersion: data.falconpy_version,
      modules: data.modules,
      endpoints: data.endpoints.map((e) => ({
        operation: e.operation,
        method: e.method,
        path: e.path,
        collection: e.collection,
        deprecated: e.deprecated,
        deprecationMarks: e.deprecation_marks,
        decommissioned: e.decommissioned,
        decommissionedMarked: e.decommissioned_marked,
        successor: e.successor,
        successorOperation: e.successor_operation,
        description: e.description,
        params: e.params.map((p) => ({ ...p, default: p.default, items: p.items })),
      })),
    },
  };
}
