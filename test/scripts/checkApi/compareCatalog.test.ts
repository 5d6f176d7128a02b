import { describe, expect, it } from 'vitest';
import { FINDING_TITLES, type CatalogFinding, type CatalogFindingKind } from '../../../scripts/checkApi/CatalogFinding.ts';
import { catalogRoutes } from '../../../scripts/checkApi/catalogRoutes.ts';
import { routeLabel } from '../../../scripts/checkApi/CatalogRoute.ts';
import { compareCatalog } from '../../../scripts/checkApi/compareCatalog.ts';
import { definition, param, route } from './fixtures.ts';

const WIDGETS = '/widgets/queries/widgets/v1';

const listRoute = route('GET', WIDGETS, {
  params: [
    { name: 'filter', in: 'query' },
    { name: 'limit', in: 'query' },
    { name: 'sort', in: 'query' },
    { name: 'after', in: 'query' },
  ],
  limit: { maxLimit: 500, pageLimit: 500 },
  sorts: ['made_at.asc'],
});

const listDefinition = definition('GET', WIDGETS, {
  params: [
    param('filter', 'query'),
    param('limit', 'query', { type: 'integer', minimum: 1, maximum: 500 }),
    param('sort', 'query', { enum: ['made_at', 'name'] }),
    param('after', 'query'),
  ],
});

const kinds = (findings: readonly CatalogFinding[]) => findings.map((f) => f.kind);

describe(compareCatalog.name, () => {
  it('finds nothing when the route, its parameters, limit and sort all match', () => {
    const { findings, checked } = compareCatalog([listDefinition], [listRoute]);
    expect(findings).toEqual([]);
    expect(checked).toEqual({ definitions: 1, routes: 1, params: 4, limits: 1, sorts: 1, unchecked: [] });
  });

  it('route-missing: no definition has the path', () => {
    const { findings } = compareCatalog([listDefinition], [route('GET', '/widgets/queries/gadgets/v1')]);
    expect(findings).toEqual([expect.objectContaining({ kind: 'route-missing', severity: 'error', route: 'GET /widgets/queries/gadgets/v1' })]);
    expect(findings[0]?.detail).toMatch(/no \/widgets\/queries\/gadgets\/v1/);
  });

  it('method-mismatch: the path exists for other methods only', () => {
    const { findings } = compareCatalog([listDefinition, definition('DELETE', WIDGETS)], [route('POST', WIDGETS)]);
    expect(findings).toEqual([expect.objectContaining({ kind: 'method-mismatch', severity: 'error', methods: ['DELETE', 'GET'] })]);
  });

  it('param-unknown: a name the route lacks, or one it reads from elsewhere', () => {
    const sent = route('GET', WIDGETS, {
      params: [
        { name: 'cursor', in: 'query' },
        { name: 'filter', in: 'formData' },
      ],
    });
    const { findings } = compareCatalog([listDefinition], [sent]);
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'param-unknown', severity: 'error', param: 'cursor', in: 'query', definedIn: null }),
      expect.objectContaining({ kind: 'param-unknown', severity: 'error', param: 'filter', in: 'formData', definedIn: 'query' }),
    ]);
  });

  it('param-unknown: JSON fields need a body, and a documented body must list them (a warning: the list is prose)', () => {
    const documented = definition('POST', '/widgets/combined/widgets/v1', {
      params: [param('body', 'body', { description: 'after  The token of the next page.\n\nlimit  Page size (max: 100).' })],
    });
    const bodyless = definition('POST', '/widgets/entities/widgets/v1', { params: [param('ids', 'query')] });
    const { findings } = compareCatalog(
      [documented, bodyless],
      [
        route('POST', '/widgets/combined/widgets/v1', { params: [{ name: 'after', in: 'body-field' }, { name: 'cursor', in: 'body-field' }] }),
        route('POST', '/widgets/entities/widgets/v1', { params: [{ name: 'ids', in: 'body-field' }] }),
      ],
    );
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'param-unknown', severity: 'warning', param: 'cursor', in: 'body-field', definedIn: null }),
      expect.objectContaining({ kind: 'param-unknown', severity: 'error', param: 'ids', in: 'body-field', definedIn: 'query' }),
    ]);
  });

  it('leaves JSON fields of an undocumented body unchecked, and says so', () => {
    const { findings, checked } = compareCatalog(
      [definition('POST', '/widgets/entities/widgets/v1', { params: [param('body', 'body')] })],
      [route('POST', '/widgets/entities/widgets/v1', { params: [{ name: 'ids', in: 'body-field' }] })],
    );
    expect(findings).toEqual([]);
    expect(checked.unchecked).toEqual([expect.objectContaining({ check: 'param', route: 'POST /widgets/entities/widgets/v1', reason: expect.stringMatching(/"ids"/) })]);
  });

  it('limit-mismatch: maxLimit above the maximum is an error, below it a warning; pageLimit must be in range', () => {
    const above = compareCatalog([listDefinition], [{ ...listRoute, limit: { maxLimit: 1000, pageLimit: 500 } }]).findings;
    expect(above).toEqual([expect.objectContaining({ kind: 'limit-mismatch', severity: 'error', field: 'maxLimit', catalog: 1000, maximum: 500, source: 'schema' })]);

    const described = definition('GET', WIDGETS, { params: [...listDefinition.params.filter((p) => p.name !== 'limit'), param('limit', 'query', { description: 'The maximum records to return. [1-2000]' })] });
    const below = compareCatalog([described], [listRoute]).findings;
    expect(below).toEqual([expect.objectContaining({ kind: 'limit-mismatch', severity: 'warning', field: 'maxLimit', catalog: 500, minimum: 1, maximum: 2000, source: 'description' })]);

    const outside = compareCatalog([listDefinition], [{ ...listRoute, limit: { maxLimit: 500, pageLimit: 0 } }]).findings;
    expect(outside).toEqual([expect.objectContaining({ kind: 'limit-mismatch', severity: 'error', field: 'pageLimit', catalog: 0, minimum: 1 })]);
  });

  it('reads the limit of a JSON body from its documented paragraph', () => {
    const combined = definition('POST', '/widgets/combined/widgets/v1', { params: [param('body', 'body', { description: 'limit  The page size (default: 10; max:  100).\n\nsort  Like made_at|asc.' })] });
    const { findings } = compareCatalog(
      [combined],
      [route('POST', '/widgets/combined/widgets/v1', { params: [{ name: 'limit', in: 'body-field' }, { name: 'sort', in: 'body-field' }], limit: { maxLimit: 200, pageLimit: 200 }, sorts: ['made_at|asc'] })],
    );
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'limit-mismatch', field: 'maxLimit', severity: 'error', maximum: 100 }),
      expect.objectContaining({ kind: 'limit-mismatch', field: 'pageLimit', severity: 'error', catalog: 200 }),
    ]);
  });

  it('sort-unknown: neither the value nor its field is in the enum (an enum of fields accepts a direction)', () => {
    expect(compareCatalog([listDefinition], [{ ...listRoute, sorts: ['made_at.asc', 'name'] }]).findings).toEqual([]);
    const { findings } = compareCatalog([listDefinition], [{ ...listRoute, sorts: ['first_seen.asc'] }]);
    expect(findings).toEqual([expect.objectContaining({ kind: 'sort-unknown', severity: 'error', sort: 'first_seen.asc' })]);
  });

  it('sort-separator: without an enum, the description examples show the separator', () => {
    const noEnum = definition('GET', WIDGETS, {
      params: [...listDefinition.params.filter((p) => p.name !== 'sort'), param('sort', 'query', { description: 'The property to sort by (e.g. status|desc or name|asc).' })],
    });
    const { findings } = compareCatalog([noEnum], [listRoute]);
    expect(findings).toEqual([expect.objectContaining({ kind: 'sort-separator', severity: 'warning', sort: 'made_at.asc', documented: ['|'] })]);
    expect(compareCatalog([noEnum], [{ ...listRoute, sorts: ['made_at|asc'] }]).findings).toEqual([]);
  });

  it('leaves a sort without enum or example unchecked', () => {
    const bare = definition('GET', WIDGETS, { params: [...listDefinition.params.filter((p) => p.name !== 'sort'), param('sort', 'query', { description: 'How to sort.' })] });
    const { findings, checked } = compareCatalog([bare], [listRoute]);
    expect(findings).toEqual([]);
    expect(checked.unchecked).toEqual([expect.objectContaining({ check: 'sort' })]);
  });

  it('deprecated-route: an error on a route every export needs, naming the successor operation as a route', () => {
    const old = { ...listDefinition, deprecated: true, deprecationMarks: ['description' as const], successorOperation: 'CombinedWidgets', description: 'Deprecated: Please use the CombinedWidgets endpoint. Lists widgets.' };
    const successor = definition('GET', '/widgets/combined/widgets/v1', { operation: 'CombinedWidgets' });
    const { findings } = compareCatalog([old, successor], [listRoute]);
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'deprecated-route', severity: 'error', successor: 'GET /widgets/combined/widgets/v1 (CombinedWidgets)', marks: ['description'] }),
    ]);
    expect(findings[0]?.detail).toContain('"Deprecated: Please use the CombinedWidgets endpoint."');
  });

  it('deprecated-route: a warning on a route no default export needs; a named path is the successor', () => {
    const old = { ...listDefinition, deprecated: true, deprecationMarks: ['operation-mapping' as const], successor: '/widgets/queries/widgets/v2' };
    const { findings } = compareCatalog([old], [{ ...listRoute, everyExport: false }]);
    expect(findings).toEqual([expect.objectContaining({ kind: 'deprecated-route', severity: 'warning', successor: '/widgets/queries/widgets/v2', marks: ['operation-mapping'] })]);
  });

  it('decommissioned-route: names the date, and replaces the deprecated finding', () => {
    const gone = {
      ...listDefinition,
      deprecated: true,
      deprecationMarks: ['description' as const],
      decommissioned: 'March 1, 2030',
      decommissionedMarked: true,
      description: 'Deprecated: This endpoint will be decommissioned on March 1, 2030. Lists widgets.',
    };
    const { findings } = compareCatalog([gone], [listRoute]);
    expect(findings).toEqual([expect.objectContaining({ kind: 'decommissioned-route', severity: 'error', date: 'March 1, 2030', successor: null })]);
    expect(findings[0]?.detail).toMatch(/decommissioned on March 1, 2030/);
  });

  it('matches parameterised paths as templates, whatever the segments are named', () => {
    const storage = definition('GET', '/things/v1/collections/{collection_name}/objects/{object_key}');
    expect(compareCatalog([storage], [route('GET', '/things/v1/collections/{collection}/objects/{key}')]).findings).toEqual([]);
    expect(kinds(compareCatalog([storage], [route('GET', '/things/v1/collections/{collection}/objects')]).findings)).toEqual(['route-missing']);
  });

  it('merges the operations that share a route (FalconPy keeps old ids beside new ones)', () => {
    const older = definition('POST', '/widgets/entities/widgets/v2', { operation: 'GetWidgets', params: [param('ids', 'query')] });
    const newer = definition('POST', '/widgets/entities/widgets/v2', { operation: 'PostWidgetsV2', params: [param('body', 'body')] });
    const sent = route('POST', '/widgets/entities/widgets/v2', { params: [{ name: 'ids', in: 'query' }, { name: 'body', in: 'body' }] });
    expect(compareCatalog([older, newer], [sent]).findings).toEqual([]);
  });

  it('covers every finding kind the report has a heading for', () => {
    const seen = new Set<CatalogFindingKind>();
    const gone = { ...listDefinition, path: '/widgets/old/v1', decommissionedMarked: true, deprecated: true, deprecationMarks: ['description' as const] };
    const old = { ...listDefinition, path: '/widgets/older/v1', deprecated: true, deprecationMarks: ['description' as const] };
    const noEnum = definition('GET', '/widgets/spelled/v1', { params: [param('sort', 'query', { description: 'e.g. name|asc' })] });
    const { findings } = compareCatalog(
      [listDefinition, gone, old, noEnum],
      [
        route('GET', '/nowhere/v1'),
        route('PUT', WIDGETS),
        route('GET', WIDGETS, { params: [{ name: 'cursor', in: 'query' }, { name: 'limit', in: 'query' }, { name: 'sort', in: 'query' }], limit: { maxLimit: 501, pageLimit: 1 }, sorts: ['nope.asc'] }),
        route('GET', '/widgets/old/v1'),
        route('GET', '/widgets/older/v1'),
        route('GET', '/widgets/spelled/v1', { params: [{ name: 'sort', in: 'query' }], sorts: ['name.asc'] }),
      ],
    );
    for (const f of findings) seen.add(f.kind);
    expect([...seen].sort()).toEqual(Object.keys(FINDING_TITLES).sort());
  });
});

describe('compareCatalog over the real catalog (catalogRoutes)', () => {
  it('reads every route the engine, the handlers and the sandbox use, with the parameters the code sends', async () => {
    const routes = await catalogRoutes();
    expect(routes.map((r) => `${routeLabel(r)} [${r.usedBy}]`)).toEqual([
      'POST /alerts/combined/alerts/v1 [stream alerts (list)]',
      'GET /alerts/queries/alerts/v2 [stream alert-ids (list)]',
      'POST /alerts/entities/alerts/v2 [stream alert-ids (hydrate)]',
      'GET /iocs/combined/indicator/v1 [stream iocs (list)]',
      'GET /intel/combined/indicators/v1 [stream intel-indicators (list)]',
      'GET /devices/combined/devices/v1 [stream hosts (list)]',
      'GET /devices/queries/devices-scroll/v1 [stream hosts-scroll (list)]',
      'POST /devices/entities/devices/v2 [stream hosts-scroll (hydrate)]',
      'GET /spotlight/combined/vulnerabilities/v1 [stream vulnerabilities (list)]',
      'GET /iocs/aggregates/indicators/device-count/v1 [IOC enrichment (device count)]',
      'GET /iocs/queries/indicators/devices/v1 [IOC enrichment (device ids)]',
      'POST /loggingapi/entities/data-ingestion/ingest/v1 [LogScale sink (ingest)]',
      'GET /customobjects/v1/collections/{collection}/objects/{key} [custom storage (get object)]',
      'PUT /customobjects/v1/collections/{collection}/objects/{key} [custom storage (put object)]',
      'DELETE /customobjects/v1/collections/{collection}/objects/{key} [custom storage (delete object)]',
      'POST /customobjects/v1/collections/{collection}/objects [custom storage (search objects)]',
      'POST /oauth2/token [CLI authentication (token)]',
      'POST /oauth2/revoke [CLI authentication (revoke)]',
    ]);
    const by = (usedBy: string) => routes.find((r) => r.usedBy === usedBy);
    expect(by('stream alerts (list)')).toMatchObject({
      params: [
        { name: 'limit', in: 'body-field' },
        { name: 'sort', in: 'body-field' },
        { name: 'filter', in: 'body-field' },
        { name: 'after', in: 'body-field' },
      ],
      limit: { maxLimit: 1000, pageLimit: 1000 },
      sorts: ['created_timestamp|asc'],
      everyExport: true,
    });
    // Combined devices sends its next token as offset, so offset is a parameter of its second page.
    expect(by('stream hosts (list)')?.params.map((p) => `${p.in}:${p.name}`).sort()).toEqual(['query:filter', 'query:limit', 'query:offset', 'query:sort']);
    expect(by('stream hosts-scroll (list)')?.params.map((p) => `${p.in}:${p.name}`).sort()).toEqual(['query:filter', 'query:limit', 'query:offset', 'query:sort']);
    expect(by('stream hosts-scroll (hydrate)')?.params).toEqual([{ name: 'ids', in: 'body-field' }]);
    // hosts-scroll keeps the deprecated route for tenants without the combined one: not a default stream.
    expect(by('stream hosts-scroll (list)')?.everyExport).toBe(false);
    expect(by('stream hosts (list)')?.everyExport).toBe(true);
    expect(by('LogScale sink (ingest)')?.params).toEqual([
      { name: 'data_file', in: 'formData' },
      { name: 'tag_source', in: 'formData' },
    ]);
    expect(by('custom storage (put object)')?.params).toEqual([{ name: 'body', in: 'body' }]);
    expect(by('IOC enrichment (device count)')?.everyExport).toBe(false);
  });

  it('marks only the routes of the default streams (and checkpoint storage) as needed by every export', async () => {
    const routes = await catalogRoutes(['alerts']);
    expect(routes.filter((r) => r.everyExport).map((r) => r.usedBy)).toEqual(['stream alerts (list)', 'custom storage (get object)', 'custom storage (put object)']);
  });

  it('reports the hand-written retirements on the routes that use them, and every undefined route as missing', async () => {
    const definitions = [
      definition('GET', '/devices/queries/devices-scroll/v1', {
        deprecated: true,
        deprecationMarks: ['description'],
        successorOperation: 'ListDevicesTogether',
        description: 'Deprecated: use ListDevicesTogether. Scrolls hosts.',
        params: [param('offset', 'query'), param('limit', 'query', { description: '[1-10000]' }), param('sort', 'query', { description: 'e.g. name.asc' }), param('filter', 'query')],
      }),
      definition('GET', '/devices/combined/devices/v1', {
        operation: 'ListDevicesTogether',
        params: [param('offset', 'query'), param('limit', 'query', { minimum: 1, maximum: 10000 }), param('sort', 'query'), param('filter', 'query')],
      }),
      definition('GET', '/alerts/queries/alerts/v2', {
        deprecated: true,
        decommissionedMarked: true,
        decommissioned: 'June 1, 2001',
        params: [param('offset', 'query'), param('limit', 'query', { minimum: 0, maximum: 10000 }), param('sort', 'query'), param('filter', 'query')],
      }),
    ];
    const { findings } = compareCatalog(definitions, await catalogRoutes());
    expect(findings.filter((f) => f.kind !== 'route-missing').map((f) => [f.kind, f.severity, f.route])).toEqual([
      ['decommissioned-route', 'error', 'GET /alerts/queries/alerts/v2'],
      ['deprecated-route', 'warning', 'GET /devices/queries/devices-scroll/v1'],
    ]);
    expect(findings.find((f) => f.kind === 'deprecated-route')?.detail).toContain('GET /devices/combined/devices/v1 (ListDevicesTogether)');
    expect(findings.filter((f) => f.kind === 'route-missing')).toHaveLength(15);
  });
});
