import { describe, expect, it } from 'vitest';
import { multipartBody } from '../../../functions/engine/sink/multipartBody.ts';
import { parseMultipart } from '../../../sandbox/logscale/parseMultipart.ts';

describe('multipartBody', () => {
  it('writes RFC 7578 parts that a strict parser reads back field by field', () => {
    const form = multipartBody(
      [
        { kind: 'file', name: 'data_file', filename: 'records.json', contentType: 'application/json', content: '[{"a":"é\\r\\n"}]' },
        { kind: 'field', name: 'tag_source', value: 'pagination-guard' },
      ],
      'run7',
    );
    expect(form.contentType).toBe('multipart/form-data; boundary=pg-run7');
    const parsed = parseMultipart(form.contentType, form.body);
    if (parsed.kind !== 'parsed') throw new Error(parsed.message);
    expect(parsed.parts.map((p) => [p.name, p.value])).toEqual([
      ['data_file', '[{"a":"é\\r\\n"}]'],
      ['tag_source', 'pagination-guard'],
    ]);
  });

  it('lengthens the boundary until no part contains it, and stays deterministic', () => {
    const content = 'text with --pg-x inside and pg-x-x too';
    const form = multipartBody([{ kind: 'field', name: 'data_content', value: content }], 'x');
    const boundary = form.contentType.split('boundary=')[1] ?? '';
    expect(content.includes(boundary)).toBe(false);
    expect(multipartBody([{ kind: 'field', name: 'data_content', value: content }], 'x')).toEqual(form);
    const parsed = parseMultipart(form.contentType, form.body);
    expect(parsed.kind === 'parsed' && parsed.parts[0]?.value).toBe(content);
  });
});
