import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROFILE_NAMES } from '../../sandbox/profileNames.ts';
import { STREAM_NAMES } from '../falcon/streams.ts';
import { repositoryRoot } from '../host/repositoryRoot.ts';
import { DEMO_HEADER, formatRow, runDemo } from './demo.ts';
import { EXIT, exportCommand, type CliIo } from './exportCommand.ts';
import { UsageError } from './UsageError.ts';
import { workflowCommand } from './workflowCommand.ts';

const USAGE = `pagination-guard: complete, resumable Falcon exports

  pagination-guard export <stream> [--filter FQL] [--out file.ndjson] [--checkpoint file] [--resume]
                          [--force] [--deadline 25s] [--max-pages N] [--max-bytes N] [--fields a,b]
                          [--json] [--sandbox <profile> | --base-url URL]
  pagination-guard demo [--json]
  pagination-guard workflow run <workflows/file.yml> [--input name=value ...] [--sandbox <profile>]
                          [--seed N] [--executions N] [--size <dataset>=<records> ...] [--json]
  pagination-guard --version | --help   (every command takes --help or -h too)

Streams: ${STREAM_NAMES.join(', ')}
Sandbox profiles: ${PROFILE_NAMES.join(', ')}

Credentials for the real API: FALCON_CLIENT_ID, FALCON_CLIENT_SECRET, FALCON_CLOUD (us-1, us-2, eu-1,
us-gov-1, us-gov-2) or --base-url, optional FALCON_MEMBER_CID.
Checkpoints are signed with PG_CHECKPOINT_KEY, else with a key kept in
$XDG_CONFIG_HOME/pagination-guard/checkpoint.key (made on first use, mode 0600).
Exit codes: 0 complete, 3 stopped with has_more, 2 bad input, 1 failure.
`;

export async function runCli(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== undefined && rest.some((a) => a === '--help' || a === '-h')) {
    io.stdout.write(USAGE);
    return EXIT.complete;
  }
  try {
    switch (command) {
      case 'export':
        return await exportCommand(rest, io);
      case 'demo':
        return await demoCommand(rest, io);
      case 'workflow':
        return await workflowCommand(rest, io);
      case '--version':
      case '-V':
        io.stdout.write(`pagination-guard ${version()}\n`);
        return EXIT.complete;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(USAGE);
        return command === undefined ? EXIT.badInput : EXIT.complete;
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr.write(`pagination-guard: ${error.message}\n\n${USAGE}`);
      return EXIT.badInput;
    }
    if (isFileError(error)) {
      // A path the user gave that cannot be written or read: one line that names it, not a stack trace.
      io.stderr.write(`pagination-guard: ${error.path}: ${error.code} (${error.syscall ?? 'file access'} failed); check the path and its permissions.\n`);
      return EXIT.badInput;
    }
    throw error;
  }
}

function isFileError(error: unknown): error is NodeJS.ErrnoException & { path: string; code: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).path === 'string' && typeof (error as NodeJS.ErrnoException).code === 'string';
}

function version(): string {
  const pkg = JSON.parse(readFileSync(join(repositoryRoot(), 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

async function demoCommand(argv: string[], io: CliIo): Promise<number> {
  const json = argv.includes('--json');
  const unknown = argv.filter((a) => a !== '--json');
  if (unknown.length) throw new UsageError(`demo takes only --json, got ${unknown.join(' ')}.`);
  if (!json) {
    io.stdout.write('Every stream exported as 25 s page runs against the Falcon sandbox, checkpoint carried between runs.\n\n');
    io.stdout.write(DEMO_HEADER + '\n');
  }
  const report = await runDemo(json ? undefined : (row) => io.stdout.write(formatRow(row) + '\n'));
  if (json) io.stdout.write(JSON.stringify(report) + '\n');
  else {
    const missing = report.rows.reduce((s, r) => s + r.missing, 0);
    const dups = report.rows.reduce((s, r) => s + r.duplicates, 0);
    io.stdout.write(`\nverdict: ${report.verdict} (${report.rows.length} exports, ${missing} missing, ${dups} duplicates)\n`);
  }
  return report.verdict === 'complete' ? EXIT.complete : EXIT.failure;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await runCli(process.argv.slice(2));
}
