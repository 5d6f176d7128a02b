import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFalconPyDump, type EndpointDefinition } from '../../../scripts/checkApi/FalconPyDump.ts';

/**
 * The dumper against a stand-in `falconpy` package (hand-written tables in FalconPy's layout), so the
 * deprecation reading is tested without installing FalconPy or touching the network.
 */
const DUMPER = join(import.meta.dirname, '../../../scripts/checkApi/dump_falconpy_endpoints.py');
const python = process.env['PG_PYTHON'] ?? 'python3';
const hasPython = spawnSync(python, ['--version']).status === 0;

const root = mkdtempSync(join(tmpdir(), 'pg-fake-falconpy-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const row = (operation: string, method: string, path: string, description: string, params = '[]') => `  ["${operation}", "${method}", "${path}", "${description}", "widgets", ${params}],\n`;

write('crowdstrike_falconpy-0.0.1.dist-info/METADATA', 'Metadata-Version: 2.1\nName: crowdstrike-falconpy\nVersion: 0.0.1\n');
write('falconpy/__init__.py', '');
write('falconpy/_endpoint/__init__.py', 'operation_deprecation_mapping = {"QueryWidgets": "", "GetWidgetsOld": "GetWidgetsV2"}\n');
write(
  'falconpy/_endpoint/_widgets.py',
  '_widgets_endpoints = [\n' +
    row('QueryWidgets', 'GET', '/widgets/queries/widgets/v1', 'Deprecated: This endpoint will be decommissioned on June 1, 2001. Please check the Notes.', '[{"name": "limit", "in": "query", "type": "integer", "minimum": 0, "maximum": 50}]') +
    row('ScrollWidgets', 'GET', '/widgets/queries/widgets-scroll/v1', 'Deprecated: Please use the CombinedWidgets endpoint. Scrolls widgets.') +
    row('CombinedWidgets', 'GET', '/widgets/combined/widgets/v1', 'Lists widgets. Use GetWidgetsV2 for details.', '[{"name": "sort", "in": "query", "enum": ["made_at", "name"]}]') +
    row('AggregateWidgets', 'POST', '/widgets/aggregates/widgets/v1', 'Deprecated: please use version v2 of this endpoint. Counts widgets.') +
    row('LookupWidgets', 'POST', '/widgets/entities/lookups/v1', 'DECOMMISSIONED: Creates a lookup.') +
    row('UploadWidgets', 'POST', '/widgets/entities/uploads/v1', 'Uploads. Use GetUploadStatus to check progress.\\nThis method is deprecated in favor of UploadWidgetsV2') +
    row('MoveWidgets', 'POST', '/widgets/entities/moves/v1', 'DEPRECATED: the widgetapi will be removed in March 2031. Moves widgets, see /widgets/entities/moves/v3.') +
    row('GetWidgetsOld', 'GET', '/widgets/entities/widgets/v1', 'Gets widgets.') +
    ']\n',
);
write('falconpy/_endpoint/_not_a_table.py', 'HELPER = 1\n');
// Legacy operation-id aliases: the dumper must not read them as deprecations (or at all).
write('falconpy/_endpoint/deprecated/__init__.py', '');
write('falconpy/_endpoint/deprecated/_widgets.py', '_widgets_endpoints = [\n' + row('widgets.query', 'GET', '/widgets/queries/widgets/v1', 'Old name.') + ']\n');

describe('dump_falconpy_endpoints.py', () => {
  it.skipIf(!hasPython)('prints the tables with the deprecation marks read from descriptions and the call-time mapping', () => {
    const run = spawnSync(python, [DUMPER], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: root } });
    expect(run.stderr).toBe('');
    const parsed = parseFalconPyDump(JSON.parse(run.stdout));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.dump).toMatchObject({ falconpyVersion: '0.0.1', modules: 1 });
    const by = new Map<string, EndpointDefinition>(parsed.dump.endpoints.map((e) => [e.operation, e]));
    expect([...by.keys()]).not.toContain('widgets.query');
    const marks = (operation: string) => {
      const e = by.get(operation);
      return e && { deprecated: e.deprecated, marks: e.deprecationMarks, decommissioned: e.decommissioned, gone: e.decommissionedMarked, successor: e.successor, successorOperation: e.successorOperation };
    };
    expect(marks('QueryWidgets')).toEqual({ deprecated: true, marks: ['description', 'operation-mapping'], decommissioned: 'June 1, 2001', gone: true, successor: null, successorOperation: null });
    expect(marks('ScrollWidgets')).toEqual({ deprecated: true, marks: ['description'], decommissioned: null, gone: false, successor: null, successorOperation: 'CombinedWidgets' });
    expect(marks('CombinedWidgets')).toEqual({ deprecated: false, marks: [], decommissioned: null, gone: false, successor: null, successorOperation: null });
    expect(marks('AggregateWidgets')).toMatchObject({ deprecated: true, successor: '/widgets/aggregates/widgets/v2', successorOperation: null });
    expect(marks('LookupWidgets')).toMatchObject({ deprecated: true, gone: true, decommissioned: null });
    expect(marks('UploadWidgets')).toMatchObject({ deprecated: true, successorOperation: 'UploadWidgetsV2' });
    expect(marks('MoveWidgets')).toMatchObject({ deprecated: true, gone: true, decommissioned: 'March 2031', successor: '/widgets/entities/moves/v3' });
    expect(marks('GetWidgetsOld')).toEqual({ deprecated: true, marks: ['operation-mapping'], decommissioned: null, gone: false, successor: null, successorOperation: 'GetWidgetsV2' });
    expect(by.get('QueryWidgets')?.params).toEqual([{ name: 'limit', in: 'query', type: 'integer', enum: null, minimum: 0, maximum: 50, default: null, items: null, description: null }]);
    expect(by.get('CombinedWidgets')?.params[0]?.enum).toEqual(['made_at', 'name']);
  });
});
