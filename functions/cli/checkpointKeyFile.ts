import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, openSync, closeSync, readFileSync, statSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { MIN_CHECKPOINT_KEY_CHARS, type CheckpointKeys } from '../engine/Checkpoint.ts';
import { UsageError } from './UsageError.ts';

/**
 * The CLI's checkpoint signing keys: `PG_CHECKPOINT_KEY` (and `PG_CHECKPOINT_PREVIOUS_KEY` during a
 * rotation), else a 256-bit key in `$XDG_CONFIG_HOME/pagination-guard/checkpoint.key` (~/.config by
 * default), made on first use with mode 0600. A key file others can read is refused: anyone who can read
 * it can forge checkpoints that steer this user's exports.
 */
export function cliCheckpointKeys(env: NodeJS.ProcessEnv): CheckpointKeys {
  const fromEnv = env['PG_CHECKPOINT_KEY'];
  const previous = env['PG_CHECKPOINT_PREVIOUS_KEY'];
  for (const [name, value] of [['PG_CHECKPOINT_KEY', fromEnv], ['PG_CHECKPOINT_PREVIOUS_KEY', previous]] as const) {
    if (value !== undefined && value.length < MIN_CHECKPOINT_KEY_CHARS) throw new UsageError(`${name} must be at least ${MIN_CHECKPOINT_KEY_CHARS} characters (use 32 random bytes in hex: openssl rand -hex 32).`);
  }
  if (fromEnv !== undefined) return { current: fromEnv, previous: previous ?? null };
  return { current: keyFromFile(keyFilePath(env)), previous: previous ?? null };
}

export function keyFilePath(env: NodeJS.ProcessEnv): string {
  const config = env['XDG_CONFIG_HOME'] || join(env['HOME'] || homedir(), '.config');
  return join(config, 'pagination-guard', 'checkpoint.key');
}

function keyFromFile(path: string): string {
  if (!existsSync(path)) {
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      // 'wx': never overwrite a key another process just made; its checkpoints would turn foreign.
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, randomBytes(32).toString('hex') + '\n');
      } finally {
        closeSync(fd);
      }
      chmodSync(path, 0o600);
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) {
        throw new UsageError(`Cannot create the checkpoint key file ${path}: ${error instanceof Error ? error.message : String(error)}. Set PG_CHECKPOINT_KEY instead.`);
      }
    }
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) throw new UsageError(`The checkpoint key file ${path} is readable by others (mode ${mode.toString(8)}); run chmod 600 ${path}.`);
  const key = readFileSync(path, 'utf8').trim();
  if (key.length < MIN_CHECKPOINT_KEY_CHARS) throw new UsageError(`The checkpoint key file ${path} holds no key of at least ${MIN_CHECKPOINT_KEY_CHARS} characters; delete it to make a new one.`);
  return key;
}
