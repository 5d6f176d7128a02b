/** Bad command-line input: printed as is, exit code 2, nothing written. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'USAGE';
}
