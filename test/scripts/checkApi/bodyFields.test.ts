import { describe, expect, it } from 'vitest';
import { bodyFields } from '../../../scripts/checkApi/bodyFields.ts';

describe(bodyFields.name, () => {
  it('splits a description into the paragraphs that open with a field name and two spaces', () => {
    const fields = bodyFields('after  The token.\nIt expires.\n\nlimit  Page size (max: 5).\n\nsort  Like name|asc.');
    expect([...(fields ?? new Map<string, string>()).keys()]).toEqual(['after', 'limit', 'sort']);
    expect(fields?.get('after')).toBe('The token.\nIt expires.\n');
  });

  it('gives null for prose that documents no field that way', () => {
    expect(bodyFields('Specify one or more widget IDs (max 10 per request).')).toBeNull();
    expect(bodyFields(null)).toBeNull();
  });
});
