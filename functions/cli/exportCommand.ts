import { parseArgs } from 'node:util';
import { isProfileName, PROFILE_NAMES } from '../../sandbox/profileNames.ts';
import type { RunResult } from '../engine/EngineCommand.ts';
import { FALCON_CLOUDS, isFalconCloud } from '../falcon/regions.ts';
import { STREAM_NAMES, isStreamName, retiredStreamMessage } from '../falcon/streams.ts';
import { FalconAuth } from '../host/FalconAuth.ts';
import { runPageRun } from '../host/runPageRun.ts';
import type { Clock, Sleep, Transport } from '../host/Transport.ts';
import { cliCheckpointKeys } from './checkpointKeyFile.ts';
import { ExportFiles } from './ExportFiles.ts';
import { ProgressReporter } from './ProgressReporter.ts';
import { UsageError } from './UsageError.ts';

export const EXIT = { complete: 0, failure: 1, badInput: 2, hasMore: 3 } as const;

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** `pagination-guard export <stream> ...`: one bounded page run against Falcon or the sandbox. */
export async function exportCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      filter: { type: 'string' },
      out: { type: 'string' },
      checkpoint: { type: 'string' },
      resume: { type: 'boolean' },
      force: { type: 'boolean' },
      deadline: { type: 'string' },
      'max-pages': { type: 'string' },
      'max-bytes': { type: 'string' },
      fields: { type: 'string' },
      json: { type: 'boolean' },
      sandbox: { type: 'string' },
      'base-url': { type: 'string' },
      seed: { type: 'string' },
      'session-id': { type: 'string' },
    },
  });
  const stream = positionals[0];
  if (!stream) throw new UsageError(`export needs a stream: one of ${STREAM_NAMES.join(', ')}.`);
  if (positionals.length > 1) throw new UsageError(`export takes one stream, got ${positionals.length}: ${positionals.join(' ')}.`);
  if (!isStreamName(stream)) throw new UsageError(retiredStreamMessage(stream) ?? `Unknown stream "${stream}". Known streams: ${STREAM_NAMES.join(', ')}.`);
  if (values.json && !values.out) throw new UsageError('--json prints the run result on stdout, so records need --out <file.ndjson>.');
  if (values.resume && values.force) throw new UsageError('--resume continues an export and --force starts one over: pass one of them.');
  const deadlineMs = values.deadline !== undefined ? parseDuration(values.deadline, '--deadline') : undefined;
  const maxPages = values['max-pages'] !== undefined ? parsePositiveInt(values['max-pages'], '--max-pages') : undefined;
  const maxBytes = values['max-bytes'] !== undefined ? parsePositiveInt(values['max-bytes'], '--max-bytes') : undefined;
  const seed = values.seed !== undefined ? parsePositiveInt(values.seed, '--seed') : 1;
  const checkpointKeys = cliCheckpointKeys(io.env);
  const files = ExportFiles.prepare({ out: values.out ?? null, checkpoint: values.checkpoint ?? null, resume: values.resume === true, force: values.force === true });
  const checkpoint = files.resumeCheckpoint ?? undefined;

  let transport: Transport;
  let clock: Clock;
  let sleep: Sleep;
  let auth: FalconAuth;
  let close = async () => {};
  if (values.sandbox !== undefined) {
    if (!isProfileName(values.sandbox)) throw new UsageError(`Unknown sandbox profile "${values.sandbox}". Profiles: ${PROFILE_NAMES.join(', ')}.`);
    // The sandbox loads only for --sandbox: an export against Falcon never pays for it.
    const { inProcessSandbox } = await import('../../sandbox/inProcessSandbox.ts');
    const local = inProcessSandbox({ seed, profile: values.sandbox });
    transport = local.transport;
    clock = local.clientClock;
    sleep = local.clock.sleep;
    auth = local.auth;
  } else {
    const clientId = io.env.FALCON_CLIENT_ID;
    const clientSecret = io.env.FALCON_CLIENT_SECRET;
    if (!clientId || !clientSecret) {
      throw new UsageError('Set FALCON_CLIENT_ID and FALCON_CLIENT_SECRET (or use --sandbox <profile>).');
    }
    const cloud = io.env.FALCON_CLOUD ?? 'us-1';
    if (!values['base-url'] && !isFalconCloud(cloud)) {
      throw new UsageError(`FALCON_CLOUD "${cloud}" is not a Falcon cloud: ${Object.keys(FALCON_CLOUDS).join(', ')}.`);
    }
    const baseUrl = values['base-url'] ?? FALCON_CLOUDS[cloud as keyof typeof FALCON_CLOUDS];
    if (!/^https?:\/\/[^/]+/.test(baseUrl)) throw new UsageError(`--base-url "${baseUrl}" is not an http(s) URL.`);
    // undici loads only for the real API (a tenth of a second of start-up that --sandbox never needs).
    const { undiciTransport } = await import('../host/undiciTransport.ts');
    const real = undiciTransport();
    transport = real.transport;
    close = real.close;
    clock = { nowMs: () => Date.now() };
    sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const memberCid = io.env.FALCON_MEMBER_CID;
    auth = new FalconAuth({ transport, clock, credentials: { clientId, clientSecret, ...(memberCid ? { memberCid } : {}) }, baseUrl });
  }

  try {
    try {
      await auth.bearer();
    } catch (error) {
      io.stderr.write(`pagination-guard: ${error instanceof Error ? error.message : String(error)}\n`);
      return EXIT.failure;
    }
    const progress = new ProgressReporter(io.stderr, clock);
    const result = await runPageRun(
      {
        stream,
        filter: values.filter ?? '',
        runId: `cli-${clock.nowMs()}`,
        ...(values['session-id'] ? { sessionId: values['session-id'] } : {}),
        ...(checkpoint ? { checkpoint } : {}),
        apiBaseUrl: auth.baseUrl,
        checkpointKeys,
        ...(values.fields ? { fields: values.fields.split(',').map((f) => f.trim()).filter(Boolean) } : {}),
        budget: {
          ...(deadlineMs !== undefined ? { deadlineMs } : {}),
          ...(maxPages !== undefined ? { maxPages } : {}),
          ...(maxBytes !== undefined ? { maxResponseBytes: maxBytes } : {}),
        },
        options: { seed },
      },
      {
        transport,
        clock,
        sleep,
        auth,
        sink: async (items, next, health) => {
          // Whole lines in one write, then the checkpoint that covers them.
          files.writePage(items.map((item) => JSON.stringify(item) + '\n').join(''), next, io.stdout);
          progress.page(items.length, health);
        },
        onEvent: (event) => progress.event(event),
      },
    );
    // The engine's rule: resume from its final checkpoint, failure or not; only a refused input has none.
    // A run that wrote nothing and resumed nothing leaves no files behind.
    if (result.resume.safe && (files.started || checkpoint !== undefined)) files.saveCheckpoint(result.resume.checkpoint);
    progress.summary(result);
    if (values.json) io.stdout.write(JSON.stringify(summaryOf(result)) + '\n');
    if (result.error?.category === 'input') return EXIT.badInput;
    if (result.error) return EXIT.failure;
    return result.hasMore === 'true' ? EXIT.hasMore : EXIT.complete;
  } finally {
    files.close();
    await close();
  }
}

function summaryOf(result: RunResult): Record<string, unknown> {
  return { verdict: result.verdict, has_more: result.hasMore, checkpoint: result.checkpoint, error: result.error, health: result.health };
}



export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new UsageError(`${flag} "${text}" is not a duration; use for example 25s, 1500ms or 2m.`);
  const value = Number(match[1]);
  const unit = match[2] ?? 'ms';
  const ms = unit === 'm' ? value * 60_000 : unit === 's' ? value * 1000 : value;
  if (ms < 1) throw new UsageError(`${flag} must be at least 1 ms.`);
  return Math.round(ms);
}

export function parsePositiveInt(text: string, flag: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`${flag} "${text}" must be a positive whole number.`);
  return Number(text);
}
