import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { WorkflowRunReport } from '../../fusion/runWorkflow.ts';
import { DATASET_NAMES, isDatasetName, type DatasetName } from '../../sandbox/datasets/DatasetName.ts';
import { PROFILE_NAMES, type ProfileName } from '../../sandbox/profileNames.ts';
import { repositoryRoot } from '../host/repositoryRoot.ts';
import { EXIT, type CliIo } from './exportCommand.ts';
import { UsageError } from './UsageError.ts';

/**
 * `pagination-guard workflow run <file> --input k=v --sandbox <profile> [--json]`: runs a workflow file
 * end to end with the local Fusion runner against the in-process sandbox, then checks what it delivered
 * against the sandbox's ground truth.
 */
export async function workflowCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'run') throw new UsageError(`workflow takes the subcommand "run", got ${sub === undefined ? 'nothing' : `"${sub}"`}.`);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      input: { type: 'string', multiple: true, default: [] },
      sandbox: { type: 'string', default: 'clean' },
      seed: { type: 'string', default: '1' },
      executions: { type: 'string', default: '5' },
      size: { type: 'string', multiple: true, default: [] },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('workflow run takes one workflow file, e.g. workflows/export-stream.yml.');
  const file = resolve(positionals[0] ?? '');
  if (!existsSync(file)) throw new UsageError(`No workflow file at ${file}.`);
  const profile = values.sandbox;
  if (!(PROFILE_NAMES as readonly string[]).includes(profile)) throw new UsageError(`Unknown sandbox profile "${profile}"; use one of ${PROFILE_NAMES.join(', ')}.`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got "${values.seed}".`);
  const maxExecutions = Number(values.executions);
  if (!Number.isInteger(maxExecutions) || maxExecutions < 1) throw new UsageError(`--executions must be a positive integer, got "${values.executions}".`);
  const inputs: Record<string, string> = {};
  for (const pair of values.input) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--input takes name=value, got "${pair}".`);
    inputs[pair.slice(0, at)] = pair.slice(at + 1);
  }

  const sizes: Partial<Record<DatasetName, number>> = {};
  for (const pair of values.size) {
    const [name = '', count = ''] = pair.split('=');
    const n = Number(count);
    if (!isDatasetName(name) || !Number.isInteger(n) || n < 0) {
      throw new UsageError(`--size takes <dataset>=<records> with a dataset of ${DATASET_NAMES.join(', ')}, got "${pair}".`);
    }
    sizes[name] = n;
  }

  // The Fusion runner, the sandbox and the Python function's launcher load only for this command.
  const { runWorkflow, WorkflowRunError } = await import('../../fusion/runWorkflow.ts');
  let report: WorkflowRunReport;
  try {
    report = await runWorkflow({ root: repositoryRoot(), workflowPath: file, inputs, profile: profile as ProfileName, seed, maxExecutions, sizes });
  } catch (error) {
    if (error instanceof WorkflowRunError) {
      if (error.code === 'INPUT_INVALID') throw new UsageError(error.message);
      io.stderr.write(`pagination-guard: ${error.code}: ${error.message}\n`);
      return EXIT.failure;
    }
    throw error;
  }
  if (values.json) {
    io.stdout.write(
      JSON.stringify({
        verdict: report.verdict,
        iterations: report.iterations,
        missing: report.missing,
        duplicates: report.duplicates,
        expected: report.expected,
        delivered: report.delivered,
        enrichment: report.enrichment,
        reasons: report.reasons,
        executions: report.executions.map(({ steps: _steps, ...rest }) => rest),
        health: report.health,
        steps: report.steps,
      }) + '\n',
    );
  } else {
    printTrace(report, io);
  }
  return report.verdict === 'complete' ? EXIT.complete : EXIT.failure;
}

function printTrace(report: WorkflowRunReport, io: CliIo): void {
  io.stdout.write(`${report.workflow}: stream ${report.stream}${report.filter ? ` filter ${report.filter}` : ''}, sandbox ${report.profile}\n\n`);
  for (const execution of report.executions) {
    io.stdout.write(`execution ${execution.executionId}\n`);
    for (const step of execution.steps) {
      if (step.kind === 'loop-iteration') continue;
      io.stdout.write(`  ${step.status === 'ok' ? ' ' : '!'} ${step.node.padEnd(22)} ${step.kind.padEnd(9)} ${step.detail}\n`);
    }
  }
  const runs = report.health;
  const sum = (pick: (h: (typeof runs)[number]) => number) => runs.reduce((total, h) => total + pick(h), 0);
  io.stdout.write(
    `\nhealth: ${runs.length} page runs, ${sum((h) => h.pages)} pages, ${sum((h) => h.apiCalls)} API calls, ` +
      `${sum((h) => h.retries)} retries, ${sum((h) => h.tokenMissingMidRun)} token_missing_mid_run, ${sum((h) => h.tokenExpiries)} token expiries, ` +
      `${sum((h) => h.watermarkRestarts)} watermark restarts, ${Math.round(sum((h) => h.rateLimitWaitMs) / 1000)} s rate-limit wait\n`,
  );
  io.stdout.write(`delivered ${report.delivered} records (${report.expected} expected: matched at the start and still there at the end), ${report.missing} missing, ${report.duplicates} duplicates, ${report.iterations} loop iterations\n`);
  if (report.enrichment !== null) {
    io.stdout.write(`enriched ${report.enrichment.enriched} of ${report.enrichment.indicators} delivered indicators, ${report.enrichment.unenriched.length} without enrichment, ${report.enrichment.twice} enriched twice\n`);
  }
  io.stdout.write(`verdict: ${report.verdict}${report.reasons.length ? ` (${report.reasons.join('; ')})` : ''}\n`);
}
