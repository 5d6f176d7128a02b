import { bodyFields } from './bodyFields.ts';
import type { CatalogFinding, Severity } from './CatalogFinding.ts';
import { routeLabel, type CatalogParam, type CatalogRoute } from './CatalogRoute.ts';
import type { EndpointDefinition, EndpointParam } from './FalconPyDump.ts';
import { limitBounds, type LimitBounds } from './limitBounds.ts';

/** A check that could not be made, and why: FalconPy's tables do not say enough. */
export interface UncheckedItem {
  route: string;
  usedBy: string;
  check: 'param' | 'limit' | 'sort';
  reason: string;
}

export interface CatalogComparison {
  findings: CatalogFinding[];
  checked: {
    /** FalconPy definitions (operations) read. */
    definitions: number;
    routes: number;
    params: number;
    limits: number;
    sorts: number;
    unchecked: UncheckedItem[];
  };
}

/**
 * Compares the routes Pagination Guard uses with FalconPy's endpoint definitions: the route exists with
 * that method, every parameter name exists where the engine sends it, `limit` and `sort` fit what the
 * definition accepts, and no route the exports rely on is deprecated or decommissioned. Pure: the same
 * inputs give the same findings, in catalog order.
 */
export function compareCatalog(definitions: readonly EndpointDefinition[], catalog: readonly CatalogRoute[]): CatalogComparison {
  const byRoute = new Map<string, EndpointDefinition[]>();
  const methodsByPath = new Map<string, Set<string>>();
  for (const definition of definitions) {
    const key = shape(definition.path);
    const list = byRoute.get(`${definition.method} ${key}`) ?? [];
    list.push(definition);
    byRoute.set(`${definition.method} ${key}`, list);
    methodsByPath.set(key, (methodsByPath.get(key) ?? new Set<string>()).add(definition.method));
  }
  const comparison: CatalogComparison = { findings: [], checked: { definitions: definitions.length, routes: 0, params: 0, limits: 0, sorts: 0, unchecked: [] } };
  for (const route of catalog) {
    comparison.checked.routes++;
    // One route may be several operations (FalconPy keeps old operation ids beside new ones).
    const matches = byRoute.get(`${route.method} ${shape(route.path)}`) ?? [];
    if (matches.length === 0) {
      comparison.findings.push(absent(route, [...(methodsByPath.get(shape(route.path)) ?? [])].sort()));
      continue;
    }
    const retirement = retirementFinding(route, matches, definitions);
    if (retirement !== null) comparison.findings.push(retirement);
    const params = uniqueParams(matches);
    for (const param of route.params) {
      comparison.checked.params++;
      const outcome = paramOutcome(route, param, params);
      if (outcome.kind === 'finding') comparison.findings.push(outcome.finding);
      if (outcome.kind === 'unchecked') comparison.checked.unchecked.push(unchecked(route, 'param', outcome.reason));
    }
    if (route.limit !== null) {
      comparison.checked.limits++;
      const bounds = routeLimitBounds(route, params);
      if (bounds.kind === 'unchecked') comparison.checked.unchecked.push(unchecked(route, 'limit', bounds.reason));
      else comparison.findings.push(...limitFindings(route, route.limit, bounds.bounds));
    }
    for (const sort of route.sorts) {
      comparison.checked.sorts++;
      const outcome = sortOutcome(route, sort, params);
      if (outcome.kind === 'finding') comparison.findings.push(outcome.finding);
      if (outcome.kind === 'unchecked') comparison.checked.unchecked.push(unchecked(route, 'sort', outcome.reason));
    }
  }
  return comparison;
}

type Outcome = { kind: 'ok' } | { kind: 'finding'; finding: CatalogFinding } | { kind: 'unchecked'; reason: string };

/** Template segments compare by position only: `{collection}` here is FalconPy's `{collection_name}`. */
function shape(path: string): string {
  return path.replace(/\{[^}]*\}/g, '{}');
}

function base(route: CatalogRoute, severity: Severity, detail: string): { severity: Severity; route: string; usedBy: string; detail: string } {
  return { severity, route: routeLabel(route), usedBy: route.usedBy, detail };
}

function unchecked(route: CatalogRoute, check: UncheckedItem['check'], reason: string): UncheckedItem {
  return { route: routeLabel(route), usedBy: route.usedBy, check, reason };
}

function absent(route: CatalogRoute, methods: string[]): CatalogFinding {
  if (methods.length > 0) {
    return {
      kind: 'method-mismatch',
      methods,
      ...base(route, 'error', `FalconPy defines ${route.path} only for ${methods.join(', ')}, but ${route.usedBy} sends ${route.method}; change the method or the route.`),
    };
  }
  return {
    kind: 'route-missing',
    ...base(route, 'error', `FalconPy has no ${route.path}; the route was renamed or removed, or never existed. Find the current route in falconpy/_endpoint and update ${route.usedBy}.`),
  };
}

/** Decommissioned wins over deprecated: it names the harder deadline. */
function retirementFinding(route: CatalogRoute, matches: readonly EndpointDefinition[], definitions: readonly EndpointDefinition[]): CatalogFinding | null {
  const severity: Severity = route.everyExport ? 'error' : 'warning';
  const decommissioned = matches.find((d) => d.decommissionedMarked);
  if (decommissioned !== undefined) {
    const date = matches.map((d) => d.decommissioned).find((d) => d !== null) ?? null;
    const successor = successorOf(route, matches, definitions);
    const when = date === null ? 'as decommissioned' : `as decommissioned on ${date}`;
    const next = successor === null ? 'it names no successor; move it to a replacement API' : `move it to ${successor}`;
    return { kind: 'decommissioned-route', date, successor, ...base(route, severity, `FalconPy marks ${routeLabel(route)} ${when} ("${firstSentence(decommissioned.description)}"), and ${route.usedBy} still uses it: ${next}.`) };
  }
  const deprecated = matches.find((d) => d.deprecated);
  if (deprecated === undefined) return null;
  const marks = [...new Set(matches.flatMap((d) => d.deprecationMarks))];
  const successor = successorOf(route, matches, definitions);
  const why = marks.includes('description') ? `"${firstSentence(deprecated.description)}"` : `FalconPy warns on calls to ${deprecated.operation}`;
  const next = successor === null ? 'it names no successor; find one before the route is removed' : `move it to ${successor}`;
  return { kind: 'deprecated-route', successor, marks, ...base(route, severity, `FalconPy marks ${routeLabel(route)} deprecated (${why}), and ${route.usedBy} still uses it: ${next}.`) };
}

/** "METHOD /path (operation)" of the replacement the definitions name, preferring a path over an operation id. */
function successorOf(route: CatalogRoute, matches: readonly EndpointDefinition[], definitions: readonly EndpointDefinition[]): string | null {
  for (const match of matches) {
    if (match.successor !== null) {
      const target = definitions.find((d) => d.path === match.successor && d.method === route.method) ?? definitions.find((d) => d.path === match.successor);
      return target === undefined ? match.successor : `${target.method} ${target.path} (${target.operation})`;
    }
  }
  for (const match of matches) {
    if (match.successorOperation !== null) {
      const target = definitions.find((d) => d.operation === match.successorOperation);
      return target === undefined ? `operation ${match.successorOperation}` : `${target.method} ${target.path} (${target.operation})`;
    }
  }
  return null;
}

function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = flat.search(/[.!?](\s|$)/);
  const sentence = end === -1 ? flat : flat.slice(0, end + 1);
  return sentence.length > 160 ? `${sentence.slice(0, 157)}...` : sentence;
}

function uniqueParams(matches: readonly EndpointDefinition[]): EndpointParam[] {
  const seen = new Map<string, EndpointParam>();
  for (const param of matches.flatMap((d) => d.params)) if (!seen.has(`${param.in} ${param.name}`)) seen.set(`${param.in} ${param.name}`, param);
  return [...seen.values()];
}

/** Every field documented by the route's JSON body parameters, or null when none documents any. */
function documentedBodyFields(params: readonly EndpointParam[]): Map<string, string> | null {
  const documented = params.filter((p) => p.in === 'body').map((p) => bodyFields(p.description));
  const merged = new Map<string, string>();
  for (const fields of documented) if (fields !== null) for (const [name, text] of fields) merged.set(name, text);
  return merged.size === 0 ? null : merged;
}

function paramOutcome(route: CatalogRoute, param: CatalogParam, params: readonly EndpointParam[]): Outcome {
  const elsewhere = params.find((p) => p.name === param.name)?.in ?? null;
  const unknown = (severity: Severity, detail: string): Outcome => ({
    kind: 'finding',
    finding: { kind: 'param-unknown', param: param.name, in: param.in, definedIn: elsewhere, ...base(route, severity, detail) },
  });
  const where = elsewhere === null ? 'FalconPy does not define it on this route' : `FalconPy defines it in ${elsewhere}`;
  switch (param.in) {
    case 'query':
    case 'path':
    case 'formData': {
      if (params.some((p) => p.name === param.name && p.in === param.in)) return { kind: 'ok' };
      return unknown('error', `${route.usedBy} sends "${param.name}" in ${param.in}, but ${where}; send it where the API reads it, or drop it.`);
    }
    case 'body': {
      if (params.some((p) => p.in === 'body')) return { kind: 'ok' };
      return unknown('error', `${route.usedBy} sends a JSON body, but FalconPy defines no body for this route; send the values as the parameters it lists.`);
    }
    case 'body-field': {
      if (!params.some((p) => p.in === 'body')) {
        return unknown('error', `${route.usedBy} sends "${param.name}" in a JSON body, but FalconPy defines no body for this route (${where}); send it as the API expects.`);
      }
      const documented = documentedBodyFields(params);
      if (documented === null) return { kind: 'unchecked', reason: `FalconPy does not document the JSON body fields, so "${param.name}" cannot be checked` };
      if (documented.has(param.name)) return { kind: 'ok' };
      // The field list comes from prose, so a miss is worth a look rather than a failed check.
      return unknown('warning', `${route.usedBy} sends "${param.name}" in the JSON body, but FalconPy's body description documents only ${[...documented.keys()].join(', ')}; check the field name.`);
    }
  }
}

type RouteBounds = { kind: 'bounds'; bounds: LimitBounds } | { kind: 'unchecked'; reason: string };

function routeLimitBounds(route: CatalogRoute, params: readonly EndpointParam[]): RouteBounds {
  const sent = route.params.find((p) => p.name === 'limit');
  if (sent === undefined) return { kind: 'unchecked', reason: 'the engine sends no "limit" on this route' };
  let bounds: LimitBounds | null = null;
  if (sent.in === 'body-field') {
    const text = documentedBodyFields(params)?.get('limit') ?? null;
    bounds = text === null ? null : limitBounds({ minimum: null, maximum: null }, text);
  } else {
    const param = params.find((p) => p.name === 'limit' && p.in === sent.in);
    bounds = param === undefined ? null : limitBounds(param, param.description);
  }
  return bounds === null ? { kind: 'unchecked', reason: 'FalconPy gives no bounds for "limit" (no minimum/maximum, none in the description)' } : { kind: 'bounds', bounds };
}

function limitFindings(route: CatalogRoute, limit: { maxLimit: number; pageLimit: number }, bounds: LimitBounds): CatalogFinding[] {
  const findings: CatalogFinding[] = [];
  const range = `${bounds.minimum ?? '?'}–${bounds.maximum ?? '?'}`;
  const from = bounds.source === 'schema' ? 'its schema' : 'its description';
  const facts = { minimum: bounds.minimum, maximum: bounds.maximum, source: bounds.source };
  if (bounds.maximum !== null && limit.maxLimit !== bounds.maximum) {
    // Above the maximum the API refuses the page; below it the export only makes more calls than needed.
    const above = limit.maxLimit > bounds.maximum;
    findings.push({
      kind: 'limit-mismatch',
      field: 'maxLimit',
      catalog: limit.maxLimit,
      ...facts,
      ...base(
        route,
        above ? 'error' : 'warning',
        `${route.usedBy} has maxLimit ${limit.maxLimit}, but FalconPy's "limit" accepts ${range} (${from}); ${above ? 'lower maxLimit or the API will refuse full pages' : 'raise maxLimit if the server really serves that much (record the evidence either way)'}.`,
      ),
    });
  }
  if ((bounds.minimum !== null && limit.pageLimit < bounds.minimum) || (bounds.maximum !== null && limit.pageLimit > bounds.maximum)) {
    findings.push({
      kind: 'limit-mismatch',
      field: 'pageLimit',
      catalog: limit.pageLimit,
      ...facts,
      ...base(route, 'error', `${route.usedBy} asks for pages of ${limit.pageLimit}, outside the ${range} FalconPy's "limit" accepts (${from}); bring pageLimit into that range.`),
    });
  }
  return findings;
}

/** `created_on.asc` → `created_on`; the sort enums of the API list fields, the direction is appended. */
function sortField(sort: string): string {
  return sort.replace(/[.|](asc|desc)$/, '');
}

function sortOutcome(route: CatalogRoute, sort: string, params: readonly EndpointParam[]): Outcome {
  const sent = route.params.find((p) => p.name === 'sort');
  const param = sent === undefined || sent.in === 'body-field' ? undefined : params.find((p) => p.name === 'sort' && p.in === sent.in);
  const text = sent?.in === 'body-field' ? (documentedBodyFields(params)?.get('sort') ?? null) : (param?.description ?? null);
  const allowed = (param?.enum ?? []).map(String);
  if (allowed.length > 0) {
    if (allowed.includes(sort) || allowed.includes(sortField(sort))) return { kind: 'ok' };
    return {
      kind: 'finding',
      finding: {
        kind: 'sort-unknown',
        sort,
        ...base(route, 'error', `${route.usedBy} sorts by "${sort}", but FalconPy's sort enum has neither it nor "${sortField(sort)}" (${allowed.length} values, e.g. ${allowed.slice(0, 5).join(', ')}); pick a watermark field the API sorts by.`),
      },
    };
  }
  // Without an enum, the description's examples ("status.desc or hostname.asc", "status|asc") show the spelling.
  const documented = [...new Set([...(text ?? '').matchAll(/\b[\w.]+?([.|])(?:asc|desc)\b/g)].map((m) => m[1] as string))];
  if (documented.length === 0) return { kind: 'unchecked', reason: `FalconPy gives no sort enum and no example of the sort syntax, so "${sort}" cannot be checked` };
  const separator = sort.slice(sortField(sort).length, sortField(sort).length + 1);
  if (documented.includes(separator)) return { kind: 'ok' };
  return {
    kind: 'finding',
    finding: {
      kind: 'sort-separator',
      sort,
      documented,
      ...base(route, 'warning', `${route.usedBy} sorts by "${sort}", but FalconPy's examples write the direction after "${documented.join('" or "')}"; check the stream's sortSeparator.`),
    },
  };
}
