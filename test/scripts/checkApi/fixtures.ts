import type { CatalogRoute } from '../../../scripts/checkApi/CatalogRoute.ts';
import type { EndpointDefinition, EndpointParam } from '../../../scripts/checkApi/FalconPyDump.ts';

/** Hand-written stand-ins for FalconPy's tables: only the fields a test is about need saying. */
export function param(name: string, where: string, more: Partial<EndpointParam> = {}): EndpointParam {
  return { name, in: where, type: 'string', enum: null, minimum: null, maximum: null, default: null, items: null, description: null, ...more };
}

export function definition(method: string, path: string, more: Partial<EndpointDefinition> = {}): EndpointDefinition {
  return {
    operation: `${method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+/g, '_')}`,
    method,
    path,
    collection: 'fixture',
    deprecated: false,
    deprecationMarks: [],
    decommissioned: null,
    decommissionedMarked: false,
    successor: null,
    successorOperation: null,
    description: 'A fixture route.',
    params: [],
    ...more,
  };
}

export function route(method: CatalogRoute['method'], path: string, more: Partial<CatalogRoute> = {}): CatalogRoute {
  return { method, path, usedBy: 'stream widgets (list)', everyExport: true, params: [], limit: null, sorts: [], ...more };
}
