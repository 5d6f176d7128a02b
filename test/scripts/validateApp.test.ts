import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAGE_RUN_HANDLERS } from '../../functions/handlers/functionMachine.ts';
import { repositoryRoot } from '../../functions/host/repositoryRoot.ts';
import { validateApp } from '../../scripts/app/validateApp.ts';

const root = repositoryRoot();

/** A copy of the app's files, so a test can break one and see validate name it. */
function appCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-app-'));
  for (const part of ['manifest.yml', 'workflows', 'collections', 'functions/page-run', 'ui', 'saved-searches']) cpSync(join(root, part), join(dir, part), { recursive: true });
  return dir;
}

function edit(dir: string, file: string, change: (text: string) => string): void {
  const path = join(dir, file);
  writeFileSync(path, change(readFileSync(path, 'utf8')));
}

const errors = (dir: string) => validateApp(dir, PAGE_RUN_HANDLERS).filter((f) => f.level === 'error');

describe('validateApp', () => {
  it('passes the app as committed', () => {
    expect(errors(root)).toEqual([]);
  });

  it('has nothing to warn about: the Python function is complete', () => {
    expect(validateApp(root, PAGE_RUN_HANDLERS)).toEqual([]);
  });

  it.each([
    ['a loop without max_iteration_count', 'workflows/export-stream.yml', (t: string) => t.replace('      max_iteration_count: 500\n', ''), /max_iteration_count/],
    ['a variable never created', 'workflows/export-stream.yml', (t: string) => t.replace("checkpoint: ${data['WorkflowCustomVariable.checkpoint']}", "checkpoint: ${data['WorkflowCustomVariable.cursor']}"), /variable cursor/],
    ['an action id no handler has', 'workflows/export-stream.yml', (t: string) => t.replace('id: functions.page-run.page-run\n    properties:\n      stream', 'id: functions.page-run.pagerun\n    properties:\n      stream'), /functions\.page-run\.pagerun/],
    // scheduled-export.yml's FirstRunHasCheckpoint reads resume_safe, which is only safe while the handler always returns it.
    ['a condition on a field the function may leave out', 'functions/page-run/schemas/page-run.response.json', (t: string) => t.replace('    "resume_safe",\n', ''), /FirstRunHasCheckpoint.*may leave out/],
    [
      'an output read before its action ran',
      'workflows/export-stream.yml',
      (t: string) => t.replace("      sink: ${data['sink']}\n    version_constraint: ~0\n  DeliverFirst", "      sink: ${data['sink']}\n      checkpoint: ${data['PageRun.FaaS.page-run.page-run.checkpoint']}\n    version_constraint: ~0\n  DeliverFirst"),
      /PageRun has not run yet/,
    ],
    [
      'a variable used before its CreateVariable ran',
      'workflows/export-stream.yml',
      (t: string) =>
        t
          .replace('trigger:\n  next:\n    - CreateVariable', 'trigger:\n  next:\n    - FirstPageRun')
          .replace('  CreateVariable:\n    next:\n      - FirstPageRun', '  CreateVariable:\n    next:\n      - FirstRunReturnsRecords')
          .replace('    next:\n      - FirstRunReturnsRecords\n    id: functions.page-run.page-run', '    next:\n      - CreateVariable\n    id: functions.page-run.page-run')
          .replace("      sink: ${data['sink']}\n    version_constraint: ~0\n  DeliverFirst", "      sink: ${data['sink']}\n      checkpoint: ${data['WorkflowCustomVariable.checkpoint']}\n    version_constraint: ~0\n  DeliverFirst"),
      /uses variable checkpoint before the CreateVariable/,
    ],
    ['a property the handler does not take', 'workflows/export-stream.yml', (t: string) => t.replace("      sink: ${data['sink']}\n    version_constraint: ~0\n  DeliverFirst", "      sink: ${data['sink']}\n      page_size: 5\n    version_constraint: ~0\n  DeliverFirst"), /page_size/],
    ['a saved search whose query file is missing', 'manifest.yml', (t: string) => t.replace('query_path: saved-searches/export_records/query.txt', 'query_path: saved-searches/export_record/query.txt'), /export_record\/query\.txt does not exist/],
    ['a query parameter the saved search does not declare', 'saved-searches/export_records/query.txt', (t: string) => t.replace('pg_session = ?session', 'pg_session = ?session pg_stream = ?stream'), /query_params lacks stream/],
    ['a declared parameter the input schema lacks', 'saved-searches/export_records/input_schema.json', (t: string) => t.replace('"session": {', '"session_id": {'), /lacks session/],
    ['a schema that disagrees with the handler', 'functions/page-run/schemas/page-run.request.json', (t: string) => t.replace('"maximum": 1000', '"maximum": 2000'), /page-run\.request\.json/],
    ['a scope nothing uses', 'manifest.yml', (t: string) => t.replace('    - alerts:read\n', '    - alerts:read\n    - hosts:write\n'), /hosts:write/],
    ['a missing scope', 'manifest.yml', (t: string) => t.replace('    - iocs:read\n', ''), /misses iocs:read/],
    ['a handler main.py does not register', 'functions/page-run/main.py', (t: string) => t.replace("@func.handler(method='POST', path='/enrich')", "@func.handler(method='POST', path='/enrichment')"), /registers POST \/enrichment[\s\S]*POST \/enrich is not registered/],
    ['an unpinned requirement', 'functions/page-run/requirements.txt', (t: string) => t.replace('quickjs-ng==0.17.0.2', 'quickjs-ng>=0.17'), /quickjs-ng>=0\.17 must pin an exact version/],
    ['an execution limit the machine does not plan for', 'manifest.yml', (t: string) => t.replace('max_exec_duration_seconds: 60', 'max_exec_duration_seconds: 30'), /max_exec_duration_seconds is 30/],
    ['a signing-key collection anyone may read', 'manifest.yml', (t: string) => t.replace('    permissions:\n      - signing-keys\n', '    permissions: []\n'), /pagination_keys\.permissions is empty/],
    ['a role that grants the signing-key permission', 'manifest.yml', (t: string) => t.replace('  roles: []', '  roles:\n    - id: ""\n      name: admins\n      description: everything\n      permissions:\n        - signing-keys'), /no role may hold it/],
    ['a UI that reads the signing keys', 'ui/shared/RunStore.ts', (t: string) => `${t}\nexport const KEYS = 'pagination_keys';\n`, /the UI must never touch the signing keys/],
    ['a function in another language', 'manifest.yml', (t: string) => t.replace('language: python', 'language: go'), /Python FDK/],
  ])('names %s', (_label, file, change, pattern) => {
    const dir = appCopy();
    edit(dir, file, change);
    const found = errors(dir);
    expect(found.length).toBeGreaterThan(0);
    expect(found.map((f) => `${f.file} ${f.path} ${f.message}`).join('\n')).toMatch(pattern);
  });
});
