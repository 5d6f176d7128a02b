import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ENGINE_BUNDLE } from '../../scripts/engineBundle.ts';

// The engine is sans-I/O and also runs inside QuickJS (the Python Foundry function): no Node modules, no
// Web APIs (QuickJS has no URL, TextEncoder or Buffer), no clocks, no randomness, no timers.

const ENGINE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../functions/engine');
const FALCON_DIR = resolve(ENGINE_DIR, '../falcon');

/** Every engine source, subfolders included (`enrich/enrichStep.ts`), relative to the engine folder. */
function engineFiles(dir = ENGINE_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return engineFiles(join(dir, entry.name));
    return entry.name.endsWith('.ts') ? [relative(ENGINE_DIR, join(dir, entry.name)).split(sep).join('/')] : [];
  });
}

/** A relative import of one `.ts` file that stays inside the engine, or names a file of the Falcon catalog. */
function allowedImport(fromFile: string, spec: string): boolean {
  if (spec === 'zod') return true;
  if (!/^\.\.?\/(?:[\w.]+\/)*[\w]+\.ts$/.test(spec)) return false;
  const target = resolve(ENGINE_DIR, dirname(fromFile), spec);
  const inside = (dir: string): boolean => !relative(dir, target).startsWith('..');
  return inside(ENGINE_DIR) || dirname(target) === FALCON_DIR;
}

const FORBIDDEN_MODULES = [/^node:/, /^fs(\/|$)/, /^net$/, /^https?$/, /^undici$/, /^timers(\/|$)/, /^crypto$/];
const FORBIDDEN_IDENTIFIERS = new Set([
  'setTimeout',
  'setInterval',
  'setImmediate',
  'performance',
  'process',
  'crypto',
  'require',
  'Buffer',
  'URL',
  'URLSearchParams',
  'TextEncoder',
  'TextDecoder',
  'fetch',
  'atob',
  'btoa',
]);

/** Every forbidden import or use in one source file, found on the syntax tree (comments and strings do not count). */
function violations(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const where = (node: ts.Node): string => `${fileName}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`;
  const checkModule = (specifier: ts.Expression, node: ts.Node): void => {
    if (!ts.isStringLiteralLike(specifier)) return;
    if (FORBIDDEN_MODULES.some((re) => re.test(specifier.text))) found.push(`${where(node)} imports ${specifier.text}`);
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) checkModule(node.moduleSpecifier, node);
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0]) checkModule(node.arguments[0], node);
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const text = `${node.expression.text}.${node.name.text}`;
      if (text === 'Date.now' || text === 'Math.random') found.push(`${where(node)} uses ${text}`);
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Date' && (node.arguments?.length ?? 0) === 0) {
      found.push(`${where(node)} uses new Date()`);
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Date') found.push(`${where(node)} calls Date()`);
    if (ts.isIdentifier(node) && FORBIDDEN_IDENTIFIERS.has(node.text)) {
      // Property names (`x.process`, `{ process: 1 }`) are not the global, but `globalThis.process` is.
      const parent = node.parent;
      const onGlobal = ts.isPropertyAccessExpression(parent) && ts.isIdentifier(parent.expression) && parent.expression.text === 'globalThis';
      const isPropertyName = !onGlobal && ((ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node));
      if (!isPropertyName) found.push(`${where(node)} uses ${node.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('engine purity', () => {
  const files = engineFiles().sort();

  it('scans the engine sources', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(files).toContain('step.ts');
    expect(files).toContain('enrich/enrichStep.ts');
  });

  it('no engine file imports Node or network modules, reads a clock, draws randomness or sets timers', () => {
    const found = files.flatMap((name) => violations(name, readFileSync(join(ENGINE_DIR, name), 'utf8')));
    expect(found).toEqual([]);
  });

  it('imports only zod, sibling engine modules and the Falcon catalog', () => {
    const outside: string[] = [];
    for (const name of files) {
      const file = ts.createSourceFile(name, readFileSync(join(ENGINE_DIR, name), 'utf8'), ts.ScriptTarget.ES2022, true);
      for (const statement of file.statements) {
        if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
        const spec = statement.moduleSpecifier.text;
        if (!allowedImport(name, spec)) outside.push(`${name}: ${spec}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it.each([
    ['step.ts', './fql.ts', true],
    ['step.ts', '../falcon/streams.ts', true],
    ['enrich/enrichStep.ts', '../readResponse.ts', true],
    ['enrich/enrichStep.ts', './backoff.ts', true],
    ['enrich/enrichStep.ts', '../../falcon/envelope.ts', true],
    ['step.ts', '../cli/runPageRun.ts', false],
    ['enrich/enrichStep.ts', '../../cli/runPageRun.ts', false],
    ['enrich/enrichStep.ts', '../../../sandbox/FalconSandbox.ts', false],
    ['step.ts', '../falcon/nested/x.ts', false],
    ['step.ts', 'undici', false],
  ])('an import in %s of %s is allowed: %s', (from, spec, allowed) => {
    expect(allowedImport(from, spec)).toBe(allowed);
  });

  // The checker itself must be able to fail: feed it one instance of every forbidden pattern.
  it.each([
    ["import { readFileSync } from 'node:fs';", 'imports node:fs'],
    ["import fs from 'fs';", 'imports fs'],
    ["import net from 'net';", 'imports net'],
    ["import * as http from 'http';", 'imports http'],
    ["import { request } from 'undici';", 'imports undici'],
    ["import { scheduler } from 'timers/promises';", 'imports timers/promises'],
    ["const c = await import('node:crypto');", 'imports node:crypto'],
    ["export { x } from 'node:os';", 'imports node:os'],
    ['const t = Date.now();', 'uses Date.now'],
    ['const t = new Date();', 'uses new Date()'],
    ['const t = new Date;', 'uses new Date()'],
    ['const t = Date();', 'calls Date()'],
    ['const r = Math.random();', 'uses Math.random'],
    ['setTimeout(() => 1, 5);', 'uses setTimeout'],
    ['const h = setInterval(f, 5);', 'uses setInterval'],
    ['const t = performance.now();', 'uses performance'],
    ['const e = process.env.KEY;', 'uses process'],
    ['const u = crypto.randomUUID();', 'uses crypto'],
    ['const u = globalThis.crypto;', 'uses crypto'],
    ["const n = Buffer.byteLength('x');", 'uses Buffer'],
    ["const u = new URL('http://a');", 'uses URL'],
    ['const q = new URLSearchParams();', 'uses URLSearchParams'],
    ['const b = new TextEncoder();', 'uses TextEncoder'],
  ])('detects %s', (source, expected) => {
    expect(violations('probe.ts', source)).toEqual([`probe.ts:1 ${expected}`]);
  });

  it.each([
    '// the engine must not import node:crypto or call Date.now()',
    "const s = 'process.env and setTimeout are only text here';",
    'const d = new Date(0); const p = Date.parse(s);',
    'const o = { process: 1 }; const v = o.process;',
  ])('does not flag %s', (source) => {
    expect(violations('probe.ts', source)).toEqual([]);
  });
});

describe('the function bundle (what QuickJS runs in the Foundry function)', () => {
  it('holds only modules free of Node, Web APIs, clocks, randomness and timers', async () => {
    const result = await build({ ...ENGINE_BUNDLE, write: false, metafile: true });
    const ours = Object.keys(result.metafile?.inputs ?? {}).filter((path) => !path.includes('node_modules/'));
    expect(ours).toContain('functions/handlers/functionMachine.ts');
    expect(ours).toContain('functions/engine/step.ts');
    const root = resolve(ENGINE_DIR, '../..');
    expect(ours.flatMap((path) => violations(path, readFileSync(join(root, path), 'utf8')))).toEqual([]);
  });
});
