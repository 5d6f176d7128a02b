import { describe, expect, it } from 'vitest';
import { catalogRoutes } from '../../../scripts/checkApi/catalogRoutes.ts';
import { findRoute } from '../../../sandbox/routes.ts';

describe(catalogRoutes.name, () => {
  it('lists only routes the sandbox serves with the same method, so checking one checks the other', async () => {
    for (const route of await catalogRoutes()) {
      const concrete = route.path.replace(/\{[^}]*\}/g, 'x');
      expect(findRoute(route.method, concrete).kind, `${route.method} ${route.path}`).toBe('found');
    }
  });
});
