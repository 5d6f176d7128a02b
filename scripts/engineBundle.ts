import type { BuildOptions } from 'esbuild';

/** Where `npm run build` writes the bundle: beside the Python host that loads it, as Foundry packages a function folder. */
export const FUNCTION_BUNDLE_PATH = 'functions/page-run/pagination_guard.js';

/**
 * The function machine and the engines as one dependency-free script, for the Python Foundry function,
 * which runs it in QuickJS. The bundle test evaluates exactly these options in a context without Node or
 * Web APIs, and fails when the committed file is stale.
 */
export const ENGINE_BUNDLE: BuildOptions = {
  entryPoints: ['functions/handlers/embeddedFunction.ts'],
  bundle: true,
  format: 'iife',
  globalName: 'PaginationGuard',
  target: 'es2020',
  platform: 'neutral',
  legalComments: 'none',
  charset: 'utf8',
};
