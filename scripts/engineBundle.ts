import type { BuildOptions } from 'esbuild';

/**
 * The engine as one dependency-free script, for hosts that embed a JavaScript engine (the Go Foundry
 * function runs it in goja). ES2017 keeps the output inside what goja runs; the bundle test evaluates
 * exactly these options in a context without Node or Web APIs.
 */
export const ENGINE_BUNDLE: BuildOptions = {
  entryPoints: ['functions/engine/index.ts'],
  bundle: true,
  format: 'iife',
  globalName: 'PaginationGuardEngine',
  target: 'es2017',
  platform: 'neutral',
  legalComments: 'none',
};
