import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUi, REPO_ROOT, UI_SURFACES } from '../../scripts/buildUi.ts';

/**
 * Foundry deploys the committed `src/dist` folders as they are, so a source change without
 * `npm run build:ui` would ship the old UI. A fresh build into a temporary root must equal them byte for byte.
 */
describe(buildUi.name, () => {
  let outRoot = '';
  let written: string[] = [];

  beforeAll(async () => {
    outRoot = await mkdtemp(join(tmpdir(), 'pagination-guard-ui-'));
    written = await buildUi(outRoot);
  });

  afterAll(async () => {
    if (outRoot) await rm(outRoot, { recursive: true, force: true });
  });

  it('writes index.html, app.js and app.css for every surface', () => {
    expect(written).toEqual(UI_SURFACES.flatMap((surface) => ['app.css', 'app.js', 'index.html'].map((file) => `${surface}/dist/${file}`)));
  });

  it.each(UI_SURFACES)('%s/dist is committed and up to date (run `npm run build:ui` if not)', async (surface) => {
    const committedDir = join(REPO_ROOT, surface, 'dist');
    const freshDir = join(outRoot, surface, 'dist');
    const committedFiles = (await readdir(committedDir).catch(() => [] as string[])).sort();
    const freshFiles = (await readdir(freshDir)).sort();
    expect(committedFiles, `files in ${surface}/dist`).toEqual(freshFiles);
    for (const file of freshFiles) {
      const [committed, fresh] = await Promise.all([readFile(join(committedDir, file)), readFile(join(freshDir, file))]);
      expect(committed.equals(fresh), `${surface}/dist/${file} differs from a fresh build: run \`npm run build:ui\` and commit`).toBe(true);
    }
  });
});
