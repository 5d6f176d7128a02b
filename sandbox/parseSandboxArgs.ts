import { parseArgs } from 'node:util';
import { DATASET_NAMES, DEFAULT_DATASET_SIZES, type DatasetName } from './datasets/DatasetName.ts';
import { isProfileName, PROFILE_NAMES, type ProfileName } from './profiles.ts';

export interface SandboxArgs {
  port: number;
  profile: ProfileName;
  seed: number;
  /** Dataset sizes: the defaults times --scale. */
  sizes: Record<DatasetName, number>;
}

export type ParsedSandboxArgs = { ok: true; args: SandboxArgs } | { ok: false; message: string };

/** `--port 8787 --profile <name> [--seed N] [--scale F]`; every refusal names the flag. */
export function parseSandboxArgs(argv: string[]): ParsedSandboxArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string', default: '8787' },
        profile: { type: 'string', default: 'clean' },
        seed: { type: 'string', default: '1' },
        scale: { type: 'string', default: '1' },
      },
    }));
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  const port = Number(values['port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return { ok: false, message: `--port must be an integer between 0 and 65535, got '${String(values['port'])}'` };
  }
  const profile = String(values['profile']);
  if (!isProfileName(profile)) {
    return { ok: false, message: `--profile must be one of ${PROFILE_NAMES.join(', ')}, got '${profile}'` };
  }
  const seed = Number(values['seed']);
  if (!Number.isSafeInteger(seed)) return { ok: false, message: `--seed must be an integer, got '${String(values['seed'])}'` };
  const scale = Number(values['scale']);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 10) {
    return { ok: false, message: `--scale must be a number above 0 and at most 10, got '${String(values['scale'])}'` };
  }
  const sizes = Object.fromEntries(
    DATASET_NAMES.map((name) => [name, Math.max(1, Math.round(DEFAULT_DATASET_SIZES[name] * scale))]),
  ) as Record<DatasetName, number>;
  return { ok: true, args: { port, profile, seed, sizes } };
}
