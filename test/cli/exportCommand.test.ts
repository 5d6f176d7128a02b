import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseDuration, parsePositiveInt } from '../../functions/cli/exportCommand.ts';
import { runCli } from '../../functions/cli/main.ts';
import { UsageError } from '../../functions/cli/UsageError.ts';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { io: { stdout, stderr, env: { PG_CHECKPOINT_KEY: 'export-command-test-key-0123456789abcdef' } }, out: () => out, err: () => err };
}

describe('duration and count flags', () => {
  it.each([
    ['25s', 25_000],
    ['1500ms', 1500],
    ['2m', 120_000],
    ['0.5s', 500],
    ['250', 250],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration(text, '--deadline')).toBe(ms);
  });

  it.each(['soon', '-5s', '5h', '', '0'])('refuses %j naming the flag', (text) => {
    expect(() => parseDuration(text, '--deadline')).toThrow(UsageError);
    expect(() => parseDuration(text, '--deadline')).toThrow(/--deadline/);
  });

  it('refuses counts that are not positive whole numbers', () => {
    expect(parsePositiveInt('3', '--max-pages')).toBe(3);
    for (const bad of ['0', '-1', '2.5', 'ten']) expect(() => parsePositiveInt(bad, '--max-pages')).toThrow(/--max-pages/);
  });
});

describe('pagination-guard export --sandbox (in-process)', () => {
  it('writes NDJSON on stdout, progress and a health summary on stderr, and exits 0', async () => {
    const t = io();
    const code = await runCli(['export', 'iocs', '--sandbox', 'sparse-final-page', '--fields', 'value,type'], t.io);
    expect(code).toBe(0);
    const records = t.out().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.length).toBeGreaterThan(14_000);
    expect(Object.keys(records[0] ?? {}).sort()).toEqual(['id', 'type', 'value']);
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
    expect(t.err()).toMatch(/page 1: \d+ of \d+ records/);
    expect(t.err()).toContain('! token_missing_mid_run');
    expect(t.err()).toContain('# verdict complete');
  });

  it('exits 3 when the budget ends the run first', async () => {
    const t = io();
    expect(await runCli(['export', 'alerts', '--sandbox', 'clean', '--max-pages', '2'], t.io)).toBe(3);
    expect(t.out().trim().split('\n')).toHaveLength(2000);
    expect(t.err()).toContain('stopped_max_pages');
  });

  it('exits 2 for an unknown profile or command, naming it', async () => {
    const t = io();
    expect(await runCli(['export', 'alerts', '--sandbox', 'hostile'], t.io)).toBe(2);
    expect(t.err()).toContain('Unknown sandbox profile "hostile"');
    const u = io();
    expect(await runCli(['exprot'], u.io)).toBe(2);
    expect(u.err()).toContain('Unknown command "exprot"');
    const f = io();
    expect(await runCli(['export', 'alerts', '--sandbox', 'clean', '--bogus'], f.io)).toBe(2);
    expect(f.err()).toContain('--bogus');
  });
});
