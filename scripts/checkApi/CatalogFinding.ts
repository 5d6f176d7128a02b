import type { CatalogParamLocation } from './CatalogRoute.ts';
import type { DeprecationMark } from './FalconPyDump.ts';

/** `error`: a request would fail or a default export depends on a retiring route. `warning`: worth a look. */
export type Severity = 'error' | 'warning';

interface FindingBase {
  severity: Severity;
  /** "METHOD /path" as the catalog sends it. */
  route: string;
  /** Who sends it ("stream hosts (list)"). */
  usedBy: string;
  /** What differs, and what to change. */
  detail: string;
}

/** One difference between a route Pagination Guard uses and FalconPy's definition of it. */
export type CatalogFinding =
  | (FindingBase & { kind: 'route-missing' })
  | (FindingBase & { kind: 'method-mismatch'; methods: string[] })
  | (FindingBase & { kind: 'param-unknown'; param: string; in: CatalogParamLocation; definedIn: string | null })
  | (FindingBase & {
      kind: 'limit-mismatch';
      field: 'maxLimit' | 'pageLimit';
      catalog: number;
      minimum: number | null;
      maximum: number | null;
      source: 'schema' | 'description';
    })
  | (FindingBase & { kind: 'sort-unknown'; sort: string })
  | (FindingBase & { kind: 'sort-separator'; sort: string; documented: string[] })
  | (FindingBase & { kind: 'deprecated-route'; successor: string | null; marks: DeprecationMark[] })
  | (FindingBase & { kind: 'decommissioned-route'; date: string | null; successor: string | null });

export type CatalogFindingKind = CatalogFinding['kind'];

/** Headings of the report, in the order it prints the groups; a new kind does not compile until it has one. */
export const FINDING_TITLES: Readonly<Record<CatalogFindingKind, string>> = {
  'decommissioned-route': 'Decommissioned routes',
  'deprecated-route': 'Deprecated routes',
  'route-missing': 'Routes FalconPy does not define',
  'method-mismatch': 'Routes FalconPy defines for other methods',
  'param-unknown': 'Parameters FalconPy does not define there',
  'limit-mismatch': 'Limits that differ from FalconPy',
  'sort-unknown': 'Sort values outside the sort enum',
  'sort-separator': 'Sort separators the description does not show',
};
