import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../functions/cli/exportCommand.ts';
import { runCli } from '../../functions/cli/main.ts';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { io: { stdout, stderr, env: {} }, out: () => out, err: () => err };
}

describe('pagination-guard workflow run', () => {
  it('--json prints the verdict, iterations, missing, duplicates and the step trace', async () => {
    const t = io();
    const code = await runCli(['workflow', 'run', 'workflows/export-stream.yml', '--input', 'stream=hosts', '--sandbox', 'chaos', '--size', 'hosts=900', '--json'], t.io);
    const report = JSON.parse(t.out()) as { verdict: string; iterations: number; missing: number; duplicates: number; steps: Array<{ node: string; kind: string }>; health: unknown[] };
    expect(code).toBe(EXIT.complete);
    expect(report).toMatchObject({ verdict: 'complete', missing: 0, duplicates: 0 });
    expect(report.health).toHaveLength(report.iterations + 1);
    expect(report.steps.filter((s) => s.kind === 'function').map((s) => s.node)).toEqual(['FirstPageRun', ...Array<string>(report.iterations).fill('PageRun')]);
  });

  it('prints a readable trace and the enrichment summary for the playbook', async () => {
    const t = io();
    const code = await runCli(
      ['workflow', 'run', 'workflows/ioc-enrichment.yml', '--input', "filter=created_on:<'2026-11-01T12:00:00Z'", '--sandbox', 'clean', '--size', 'iocs=120', '--size', 'hosts=800', '--size', 'intel=500'],
      t.io,
    );
    expect(code).toBe(EXIT.complete);
    expect(t.out()).toMatch(/Enrich +function/);
    expect(t.out()).toMatch(/enriched (\d+) of \1 delivered indicators, 0 without enrichment, 0 enriched twice/);
    expect(t.out()).toMatch(/verdict: complete/);
  });

  it.each([
    [['workflow', 'walk', 'workflows/export-stream.yml'], /subcommand "run"/],
    [['workflow', 'run', 'workflows/nope.yml'], /No workflow file/],
    [['workflow', 'run', 'workflows/export-stream.yml', '--input', 'stream=alerts', '--sandbox', 'hostile'], /Unknown sandbox profile "hostile"/],
    [['workflow', 'run', 'workflows/export-stream.yml', '--input', 'stream'], /--input takes name=value/],
    [['workflow', 'run', 'workflows/export-stream.yml', '--input', 'stream=alerts', '--size', 'users=5'], /--size takes <dataset>=<records>/],
    [['workflow', 'run', 'workflows/export-stream.yml', '--input', 'stream=incidents'], /stream must be one of/],
    [['workflow', 'run', 'workflows/scheduled-export.yml', '--input', 'stream=hosts'], /takes no inputs/],
  ])('bad input %j → exit 2 with a message that names the problem', async (argv, message) => {
    const t = io();
    expect(await runCli(argv, t.io)).toBe(EXIT.badInput);
    expect(t.err()).toMatch(message);
  });
});
