import { describe, expect, it } from 'vitest';
import { DEFAULT_DATASET_SIZES } from '../../sandbox/datasets/DatasetName.ts';
import { parseSandboxArgs } from '../../sandbox/parseSandboxArgs.ts';

describe('parseSandboxArgs', () => {
  it('reads port, profile, seed and scale', () => {
    const parsed = parseSandboxArgs(['--port', '8787', '--profile', 'chaos', '--seed', '42', '--scale', '0.5']);
    expect(parsed).toEqual({
      ok: true,
      args: { port: 8787, profile: 'chaos', seed: 42, sizes: expect.objectContaining({ intel: DEFAULT_DATASET_SIZES.intel / 2 }) },
    });
  });

  it('defaults to the clean profile on 8787', () => {
    expect(parseSandboxArgs([])).toMatchObject({ ok: true, args: { port: 8787, profile: 'clean', seed: 1 } });
  });

  it('names the flag it refuses', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--port', 'x'], /--port/],
      [['--profile', 'calm'], /--profile must be one of clean, /],
      [['--seed', '1.5'], /--seed/],
      [['--scale', '0'], /--scale/],
      [['--bogus'], /--bogus/],
    ];
    for (const [argv, message] of cases) {
      const parsed = parseSandboxArgs(argv);
      expect(parsed.ok, argv.join(' ')).toBe(false);
      if (!parsed.ok) expect(parsed.message).toMatch(message);
    }
  });
});
