import { build } from 'esbuild';
import { buildCli } from './cliBundle.ts';
import { ENGINE_BUNDLE, FUNCTION_BUNDLE_PATH } from './engineBundle.ts';

// `--cli` builds only the CLI (dist/, not committed), leaving the committed function bundle alone.
if (!process.argv.includes('--cli')) await build({ ...ENGINE_BUNDLE, outfile: FUNCTION_BUNDLE_PATH, logLevel: 'info' });
await buildCli(process.argv.includes('--cli') ? 'warning' : 'info');
