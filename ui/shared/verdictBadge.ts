import type { RunRecord } from '../../functions/storage/RunRecord.ts';

/** What the verdict badge says, and the sentence a screen reader and the tooltip give for it. */
export type VerdictBadge =
  | { kind: 'complete'; text: 'complete'; explanation: string }
  | { kind: 'has_more'; text: 'has_more'; explanation: string }
  | { kind: 'failed'; text: string; code: string; message: string; explanation: string };

export function verdictBadge(record: Pick<RunRecord, 'verdict' | 'verdict_kind' | 'error_code' | 'error_message'>): VerdictBadge {
  switch (record.verdict_kind) {
    case 'complete':
      return { kind: 'complete', text: 'complete', explanation: 'The export finished: HTTP status, cursor and counts agreed.' };
    case 'has_more':
      return {
        kind: 'has_more',
        text: 'has_more',
        explanation: 'This run stopped early with a checkpoint; the workflow continues the export in its next run.',
      };
    case 'failed': {
      // Older writers may leave error_code empty; the verdict string carries the code after "failed:".
      const code = record.error_code || record.verdict.replace(/^failed:/, '') || 'UNKNOWN';
      return {
        kind: 'failed',
        text: `failed: ${code}`,
        code,
        message: record.error_message,
        explanation: record.error_message || `The run failed with ${code}.`,
      };
    }
  }
}
