import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository this code runs from: the nearest directory above this module that holds the app's
 * `manifest.yml` and `package.json`. Found by walking up rather than by a fixed number of `..`, because
 * the same module runs from its source file (functions/host/) and from a chunk of the built CLI (dist/).
 */
export function repositoryRoot(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'manifest.yml')) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No repository (a directory with manifest.yml and package.json) above ${from}`);
  }
}
