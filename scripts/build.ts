import { build } from 'esbuild';
import { ENGINE_BUNDLE, FUNCTION_BUNDLE_PATH } from './engineBundle.ts';

await build({ ...ENGINE_BUNDLE, outfile: FUNCTION_BUNDLE_PATH, logLevel: 'info' });
