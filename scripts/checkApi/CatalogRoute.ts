/**
 * One route Pagination Guard sends requests to, described the way `compareCatalog` checks it against
 * FalconPy: the method and path, every parameter name with where it travels, and the paging values.
 */

/**
 * Where a parameter travels. FalconPy's own locations, plus `body-field`: a key of the JSON body, which
 * FalconPy does not model (its tables carry one opaque `body` parameter).
 */
export type CatalogParamLocation = 'query' | 'path' | 'formData' | 'body' | 'body-field';

export interface CatalogParam {
  name: string;
  in: CatalogParamLocation;
}

export type CatalogMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface CatalogRoute {
  method: CatalogMethod;
  /** A literal path, or a template whose `{name}` segments stand for values filled in per call (custom storage). */
  path: string;
  /** Who sends it, for the report: "stream hosts (list)", "IOC enrichment (device count)". */
  usedBy: string;
  /**
   * A default export cannot run without this route, so a deprecated or decommissioned definition is an
   * error rather than a warning.
   */
  everyExport: boolean;
  params: CatalogParam[];
  /** The `limit` values the engine sends on this route; null when it sends none. */
  limit: { maxLimit: number; pageLimit: number } | null;
  /** The `sort` values the engine sends on this route. */
  sorts: string[];
}

export function routeLabel(route: { method: string; path: string }): string {
  return `${route.method} ${route.path}`;
}
