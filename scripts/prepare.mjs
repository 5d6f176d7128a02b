#!/usr/bin/env node
// `npm install` / `npm ci` (npm's prepare script): builds the CLI into dist/ so that `npx pagination-guard`
// works right away. Without the dev dependencies (`--omit=dev`) there is nothing to build it with: say so
// instead of failing the install; `npm run build` builds it once they are installed.
let register;
try {
  await import('esbuild');
  ({ register } = await import('tsx/esm/api'));
} catch {
  process.stderr.write('pagination-guard: the dev dependencies (esbuild, tsx) are not installed, so the CLI was not built; install them and run `npm run build`.\n');
  process.exit(0);
}
register();
const { buildCli } = await import('./cliBundle.ts');
await buildCli();
