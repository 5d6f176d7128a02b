import { describe, expect, it } from 'vitest';
import { limitBounds } from '../../../scripts/checkApi/limitBounds.ts';

const none = { minimum: null, maximum: null };

describe(limitBounds.name, () => {
  it('prefers the schema bounds', () => {
    expect(limitBounds({ minimum: 0, maximum: 400 }, 'max: 900')).toEqual({ minimum: 0, maximum: 400, source: 'schema' });
  });

  it.each([
    ['The maximum records to return. [1-2500]', 1, 2500],
    ['The number must be between 1 and 7,000', 1, 7000],
    ['The maximum number of widgets to return in this response (default: 10; max:  300).', null, 300],
    ['Maximum of 42 per page.', null, 42],
  ])('reads %j from the description', (text, minimum, maximum) => {
    expect(limitBounds(none, text)).toEqual({ minimum, maximum, source: 'description' });
  });

  it('takes a schema minimum with a description maximum', () => {
    expect(limitBounds({ minimum: 1, maximum: null }, '[0-50]')).toEqual({ minimum: 1, maximum: 50, source: 'description' });
  });

  it('gives null when nothing bounds the limit', () => {
    expect(limitBounds(none, 'The maximum records to return.')).toBeNull();
    expect(limitBounds(none, null)).toBeNull();
  });
});
