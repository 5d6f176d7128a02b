import { createHash } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from './UsageError.ts';

/**
 * The CLI's checkpoint file: the engine's checkpoint and what the output file held when it was written
 * (its length and a hash of its tail), so a resumed export appends exactly after the records the
 * checkpoint covers: not after a page written by a run killed before it could save its checkpoint.
 */
const checkpointFileSchema = z
  .object({
    v: z.literal(1),
    checkpoint: z.string().min(1),
    out: z.object({ bytes: z.number().int().nonnegative(), tailSha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict().nullable(),
  })
  .strict();

type CheckpointFile = z.infer<typeof checkpointFileSchema>;

/** Bytes at the end of the output file that the hash covers: enough to tell a different file from ours. */
const TAIL_BYTES = 4096;

export interface ExportFilesOptions {
  out: string | null;
  checkpoint: string | null;
  resume: boolean;
  force: boolean;
}

/**
 * The output file and the checkpoint file of one CLI export, kept consistent: records are written as
 * whole lines, the checkpoint is saved after its records, an exclusive lock keeps a second process off
 * the same checkpoint, and nothing is created or truncated until the first page has arrived.
 */
export class ExportFiles {
  readonly #options: ExportFilesOptions;
  /** Where the output must be cut back to before appending (resume), or 0 for a new file. */
  readonly #resumeAtBytes: number;
  readonly resumeCheckpoint: string | null;
  #outFd: number | null = null;
  #outBytes: number;
  #locked = false;

  private constructor(options: ExportFilesOptions, resumeCheckpoint: string | null, resumeAtBytes: number) {
    this.#options = options;
    this.resumeCheckpoint = resumeCheckpoint;
    this.#resumeAtBytes = resumeAtBytes;
    this.#outBytes = resumeAtBytes;
  }

  /** Checks everything it can before any request: existing files, the checkpoint file, the output it recorded. */
  static prepare(options: ExportFilesOptions): ExportFiles {
    // A path that cannot be written fails now, as a file error naming it, before any request is sent.
    for (const path of [options.out, options.checkpoint]) {
      if (path === null) continue;
      accessSync(existsSync(path) ? path : dirname(resolve(path)), constants.W_OK);
    }
    const nonEmpty = (path: string | null): path is string => path !== null && existsSync(path) && statSync(path).size > 0;
    if (!options.resume) {
      for (const path of [options.out, options.checkpoint]) {
        if (nonEmpty(path) && !options.force) throw new UsageError(`${path} exists and is not empty; resume with --resume, or pass --force to start over (it will be overwritten).`);
      }
      return new ExportFiles(options, null, 0);
    }
    const path = options.checkpoint;
    if (path === null) throw new UsageError('--resume needs --checkpoint <file> to read the checkpoint from.');
    if (!existsSync(path)) throw new UsageError(`--resume: the checkpoint file ${path} does not exist.`);
    const file = readCheckpointFile(path);
    if (file === null) return new ExportFiles(options, null, 0);
    if (options.out === null) return new ExportFiles(options, file.checkpoint, 0);
    if (file.out === null) {
      if (nonEmpty(options.out)) throw new UsageError(`${path} records no output file, but ${options.out} is not empty: resume with the output it was written with, or start over with --force.`);
      return new ExportFiles(options, file.checkpoint, 0);
    }
    const size = existsSync(options.out) ? statSync(options.out).size : 0;
    if (size < file.out.bytes) {
      throw new UsageError(`${options.out} holds ${size} bytes, but the checkpoint covers ${file.out.bytes}: records were lost from it. Start over with --force, or resume with the file it was written with.`);
    }
    if (tailSha256(options.out, file.out.bytes) !== file.out.tailSha256) {
      throw new UsageError(`${options.out} is not the file ${path} was written with (its first ${file.out.bytes} bytes differ). Resume with that file, or start over with --force.`);
    }
    return new ExportFiles(options, file.checkpoint, file.out.bytes);
  }

  /** One page's records, then its checkpoint: a kill between the two leaves a tail that the next --resume cuts off. */
  writePage(lines: string, checkpoint: string, stdout: NodeJS.WritableStream): void {
    this.#lock();
    this.#openOut();
    if (this.#outFd === null) {
      if (lines !== '') stdout.write(lines);
    } else if (lines !== '') {
      const buffer = Buffer.from(lines, 'utf8');
      let written = 0;
      while (written < buffer.length) written += writeSync(this.#outFd, buffer, written, buffer.length - written, this.#outBytes + written);
      fsyncSync(this.#outFd);
      this.#outBytes += buffer.length;
    }
    this.saveCheckpoint(checkpoint);
  }

  saveCheckpoint(checkpoint: string): void {
    const path = this.#options.checkpoint;
    if (path === null) return;
    this.#lock();
    const out = this.#options.out === null ? null : { bytes: this.#outBytes, tailSha256: tailSha256(this.#options.out, this.#outBytes) };
    const file: CheckpointFile = { v: 1, checkpoint, out };
    // Atomic: a crash leaves either the old checkpoint or the new one, never half of one.
    writeFileSync(`${path}.tmp`, JSON.stringify(file) + '\n', { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  }

  close(): void {
    if (this.#outFd !== null) closeSync(this.#outFd);
    this.#outFd = null;
    if (this.#locked && this.#options.checkpoint !== null) {
      try {
        unlinkSync(lockPath(this.#options.checkpoint));
      } catch {
        // Already gone: nothing to release.
      }
    }
    this.#locked = false;
  }

  /** Whether this run wrote anything (and so holds the lock). */
  get started(): boolean {
    return this.#locked || this.#outFd !== null;
  }

  #lock(): void {
    if (this.#locked || this.#options.checkpoint === null) return;
    takeLock(lockPath(this.#options.checkpoint));
    this.#locked = true;
  }

  /** Opens the output the first time a page is written: a run that fails before its first page leaves it untouched. */
  #openOut(): void {
    if (this.#outFd !== null || this.#options.out === null) return;
    const fd = openSync(this.#options.out, this.#options.resume ? 'r+' : 'w', 0o644);
    // A resumed file is cut back to what its checkpoint covers: the page of a run killed before saving, or half a line.
    if (this.#options.resume) {
      if (fstatSync(fd).size > this.#resumeAtBytes) ftruncateSync(fd, this.#resumeAtBytes);
    }
    this.#outFd = fd;
  }
}

function readCheckpointFile(path: string): CheckpointFile | null {
  const text = readFileSync(path, 'utf8').trim();
  if (text === '') throw new UsageError(`--resume: the checkpoint file ${path} is empty; start over without --resume (and --force), or restore the file.`);
  if (text.startsWith('pg')) return { v: 1, checkpoint: text, out: null };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = null;
  }
  const parsed = checkpointFileSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`--resume: ${path} is not a Pagination Guard checkpoint file.`);
  return parsed.data;
}

function tailSha256(path: string, bytes: number): string {
  const start = Math.max(0, bytes - TAIL_BYTES);
  const buffer = Buffer.alloc(bytes - start);
  if (buffer.length > 0) {
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, start);
    } finally {
      closeSync(fd);
    }
  }
  return createHash('sha256').update(`${bytes}\n`).update(buffer).digest('hex');
}

function lockPath(checkpoint: string): string {
  return `${checkpoint}.lock`;
}

/** An exclusive lock file holding our pid; a lock whose process is gone (a killed run) is taken over. */
function takeLock(path: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
      const holder = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
        throw new UsageError(`Another export (pid ${holder}) is using this checkpoint (${path}); wait for it, or remove the lock file if that process is gone.`);
      }
      unlinkSync(path);
    }
  }
  throw new UsageError(`Could not take the checkpoint lock ${path}.`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}
