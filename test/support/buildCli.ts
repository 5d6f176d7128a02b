import { buildCli } from '../../scripts/cliBundle.ts';

/**
 * vitest's global setup: the CLI tests run the bin, which runs the built dist/cli.mjs, so every test run
 * builds it from the sources first (about a second) instead of testing whatever an earlier build left.
 */
export default async function setup(): Promise<void> {
  await buildCli();
}
