import { build } from 'esbuild';
import { ENGINE_BUNDLE } from './engineBundle.ts';

await build({ ...ENGINE_BUNDLE, outfile: 'dist/engine.js', logLevel: 'info' });
