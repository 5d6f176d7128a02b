/**
 * Named fault profiles. Each is a set of knobs (profiles.ts); every random decision behind them comes
 * from the seed. The names live apart from the knobs so that the CLI can list and check them without
 * loading the sandbox.
 */
export const PROFILE_NAMES = [
  'clean',
  'sparse-final-page',
  'ttl-vs-backoff',
  'shared-token',
  'clock-skew',
  'expired-after',
  'depth-cap',
  'errors-in-200',
  'html-5xx',
  'auth-expiry',
  'region-redirect',
  'flaky',
  'chaos',
  'lying-server',
  'ingest-flaky',
  'ingest-lost-ack',
  'ingest-reset',
] as const;

export type ProfileName = (typeof PROFILE_NAMES)[number];

export function isProfileName(s: string): s is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(s);
}
