import type { LoadProblem, RejectedRun } from './RunStore.ts';

/** A message for the panel: what went wrong, then what the user can do about it. */
export interface ProblemMessage {
  title: string;
  lines: string[];
}

export function describeLoadProblem(problem: LoadProblem, collection: string): ProblemMessage {
  switch (problem.kind) {
    case 'timeout':
      return {
        title: `The Falcon console did not answer the ${collection} search within ${Math.round(problem.ms / 1000)} s.`,
        lines: ['Reload the page. If it keeps happening, the console may be rate-limiting collection calls: wait a minute and try again.'],
      };
    case 'console-error':
      return {
        title: `The Falcon console refused the ${collection} search.`,
        lines: [
          ...problem.messages.map((m) => `Console said: ${m}`),
          'Check that the app is installed in this CID and that your role may read the app\'s collections, then reload.',
        ],
      };
    case 'invalid-response':
      return {
        title: `The ${collection} search answer had an unexpected shape, so no runs can be listed.`,
        lines: [
          ...problem.issues.map((issue) => `Problem: ${issue}`),
          'This panel expects Falcon custom storage search metadata (resources with object_key). Report this with the console version.',
        ],
      };
  }
}

export const MAX_REJECTED_SHOWN = 5;

export function describeRejectedRuns(rejected: readonly RejectedRun[], collection: string): ProblemMessage {
  const shown = rejected.slice(0, MAX_REJECTED_SHOWN).map((r) => `${r.key}: ${r.issues.slice(0, 3).join('; ')}${r.issues.length > 3 ? ` (+${r.issues.length - 3} more)` : ''}`);
  const more = rejected.length > MAX_REJECTED_SHOWN ? [`…and ${rejected.length - MAX_REJECTED_SHOWN} more.`] : [];
  return {
    title: `${rejected.length} run${rejected.length === 1 ? '' : 's'} in ${collection} could not be shown.`,
    lines: [
      ...shown,
      ...more,
      'These objects do not match collections/pagination_runs.json or could not be read. Deploy the app again so the page-run function and this UI are the same version; older records stay unreadable until they are rewritten.',
    ],
  };
}
