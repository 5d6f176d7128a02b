import { assertNever } from '../assertNever.ts';
import type { RetryCause } from './classifyAnswer.ts';

/** How a retry names what it retries, in the timeline and in the deadline stop. */
export function retryReason(answer: { status: number; cause: RetryCause }): string {
  switch (answer.cause) {
    case 'entities-refused':
      return 'HTTP 403 on the entities call';
    case 'non-json':
      return `non-JSON ${answer.status}`;
    case 'server-error':
      return `HTTP ${answer.status}`;
    case 'errors-in-200':
      return 'errors inside a 200';
    default:
      return assertNever(answer.cause, 'retry cause');
  }
}
