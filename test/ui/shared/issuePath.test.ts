import { describe, expect, it } from 'vitest';
import { issuePath } from '../../../ui/shared/issuePath.ts';

describe(issuePath.name, () => {
  it('writes object keys with dots and array indexes in brackets', () => {
    expect(issuePath(['health', 'timeline', 3, 'kind'], '(x)')).toBe('health.timeline[3].kind');
    expect(issuePath([0, 'object_key'], '(x)')).toBe('[0].object_key');
    expect(issuePath([], '(the object)')).toBe('(the object)');
  });
});
