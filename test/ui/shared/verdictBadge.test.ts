import { describe, expect, it } from 'vitest';
import { verdictBadge } from '../../../ui/shared/verdictBadge.ts';

describe(verdictBadge.name, () => {
  it('names each verdict kind as the engine does', () => {
    expect(verdictBadge({ verdict: 'complete', verdict_kind: 'complete', error_code: '', error_message: '' })).toMatchObject({ kind: 'complete', text: 'complete' });
    expect(verdictBadge({ verdict: 'has_more', verdict_kind: 'has_more', error_code: '', error_message: '' })).toMatchObject({ kind: 'has_more', text: 'has_more' });
  });

  it('carries the failure code and message', () => {
    const badge = verdictBadge({
      verdict: 'failed:SCOPE_MISSING',
      verdict_kind: 'failed',
      error_code: 'SCOPE_MISSING',
      error_message: 'Grant the API client the scope "Vulnerabilities: Read"',
    });
    expect(badge).toEqual({
      kind: 'failed',
      text: 'failed: SCOPE_MISSING',
      code: 'SCOPE_MISSING',
      message: 'Grant the API client the scope "Vulnerabilities: Read"',
      explanation: 'Grant the API client the scope "Vulnerabilities: Read"',
    });
  });

  it('takes the code from the verdict when error_code is empty', () => {
    const badge = verdictBadge({ verdict: 'failed:HTTP_5XX', verdict_kind: 'failed', error_code: '', error_message: '' });
    expect(badge).toMatchObject({ kind: 'failed', code: 'HTTP_5XX', text: 'failed: HTTP_5XX', explanation: 'The run failed with HTTP_5XX.' });
  });
});
