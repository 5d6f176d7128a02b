import { describe, expect, it } from 'vitest';
import { parseFalconPyDump } from '../../../scripts/checkApi/FalconPyDump.ts';

const endpoint = {
  operation: 'ListWidgets',
  method: 'GET',
  path: '/widgets/queries/widgets/v1',
  collection: 'widgets',
  deprecated: true,
  deprecation_marks: ['description'],
  decommissioned: null,
  decommissioned_marked: false,
  successor: null,
  successor_operation: 'ListWidgetsV2',
  description: 'Deprecated: use ListWidgetsV2.',
  params: [{ name: 'limit', in: 'query', type: 'integer', enum: null, minimum: 1, maximum: 10, default: 5, items: null, description: null }],
};

describe(parseFalconPyDump.name, () => {
  it('renames the dump to camelCase', () => {
    const parsed = parseFalconPyDump({ falconpy_version: '9.9.9', modules: 1, endpoints: [endpoint] });
    expect(parsed).toMatchObject({ ok: true, dump: { falconpyVersion: '9.9.9', endpoints: [{ deprecationMarks: ['description'], successorOperation: 'ListWidgetsV2', decommissionedMarked: false }] } });
  });

  it('names the field that does not fit and what to update', () => {
    const parsed = parseFalconPyDump({ falconpy_version: '9.9.9', modules: 1, endpoints: [{ ...endpoint, method: 'get' }] });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/endpoints\.0\.method: must be an upper-case HTTP method.*dump_falconpy_endpoints\.py/);
  });

  it('refuses an empty dump: a check of nothing would pass', () => {
    expect(parseFalconPyDump({ falconpy_version: '9.9.9', modules: 1, endpoints: [] }).ok).toBe(false);
  });
});
