import { describe, expect, it } from 'vitest';
import { describeLoadProblem, describeRejectedRuns } from '../../../ui/shared/describeLoadProblem.ts';

describe(describeLoadProblem.name, () => {
  it('says what failed and what to do for each problem', () => {
    const timeout = describeLoadProblem({ kind: 'timeout', operation: 'search', ms: 15_000 }, 'pagination_runs');
    expect(timeout.title).toBe('The Falcon console did not answer the pagination_runs search within 15 s.');
    expect(timeout.lines.join(' ')).toMatch(/Reload the page/);

    const refused = describeLoadProblem({ kind: 'console-error', operation: 'search', messages: ['403 access denied'] }, 'pagination_runs');
    expect(refused.lines).toContain('Console said: 403 access denied');
    expect(refused.lines.join(' ')).toMatch(/role may read the app's collections/);

    const odd = describeLoadProblem({ kind: 'invalid-response', operation: 'search', issues: ['resources[0].object_key: Required'] }, 'pagination_runs');
    expect(odd.lines).toContain('Problem: resources[0].object_key: Required');
  });
});

describe(describeRejectedRuns.name, () => {
  it('lists the first few rejected keys with their issues and says how to fix them', () => {
    const rejected = Array.from({ length: 7 }, (_, i) => ({ key: `k${i}`, issues: ['health.pages: Expected number, received string', 'a', 'b', 'c'] }));
    const message = describeRejectedRuns(rejected, 'pagination_runs');
    expect(message.title).toBe('7 runs in pagination_runs could not be shown.');
    expect(message.lines[0]).toBe('k0: health.pages: Expected number, received string; a; b (+1 more)');
    expect(message.lines).toContain('…and 2 more.');
    expect(message.lines.at(-1)).toMatch(/Deploy the app again/);
  });
});
