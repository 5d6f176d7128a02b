import { describe, expect, it } from 'vitest';
import { envelopeSchema, tokenResponseSchema } from '../../functions/falcon/envelope.ts';

const meta = { query_time: 0.0133, powered_by: 'spapi', trace_id: '6f1b0e1c-3c0a-4a43-9d59-3c1f3bbd4a10' };

describe('the Falcon envelope schema', () => {
  it.each([
    ['ids with offset paging', { meta: { ...meta, pagination: { offset: 0, limit: 100, total: 172250 } }, resources: ['a', 'b'], errors: [] }],
    ['objects with an after token', { meta: { ...meta, pagination: { after: 'eyJ…', limit: 400, total: 832056 } }, resources: [{ id: 'x' }], errors: [] }],
    ['a scroll page with expires_at in ns', { meta: { ...meta, pagination: { total: 3, offset: 'DnF1ZXJ5', expires_at: 1575676001402961400 } }, resources: ['h1'], errors: [] }],
    ['the end of a scroll', { meta: { ...meta, pagination: { total: 0, offset: '' } }, resources: [], errors: [] }],
    ['resources null on an error', { meta, resources: null, errors: [{ code: 400, message: 'offset 10000 and limit 100 are invalid' }] }],
    ['no resources and no pagination', { meta, errors: [{ code: 401, message: 'access denied, invalid bearer token' }] }],
    ['an error tied to one id', { meta, resources: [], errors: [{ code: 404, message: 'not found', id: 'abc' }] }],
  ])('accepts %s', (_name, body) => {
    expect(envelopeSchema.safeParse(body).success).toBe(true);
  });

  it.each([
    ['no meta', { resources: [] }],
    ['resources that are neither ids nor objects', { meta, resources: [1, 2] }],
    ['an error without a message', { meta, errors: [{ code: 500 }] }],
    ['a string total', { meta: { ...meta, pagination: { total: '12' } }, resources: [] }],
  ])('refuses %s', (_name, body) => {
    expect(envelopeSchema.safeParse(body).success).toBe(false);
  });

  it('reads the 201 of /oauth2/token and refuses an empty token', () => {
    expect(tokenResponseSchema.safeParse({ access_token: 't', token_type: 'bearer', expires_in: 1799 }).success).toBe(true);
    expect(tokenResponseSchema.safeParse({ access_token: '', token_type: 'bearer', expires_in: 1799 }).success).toBe(false);
  });
});
