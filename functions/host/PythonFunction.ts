import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { request } from 'undici';
import { venvPython } from '../../scripts/pythonEnv.ts';
import { repositoryRoot } from './repositoryRoot.ts';

/** What the FDK's HTTP runner answers: `{code, body, errors, header}` (errors and header only when present). */
export interface FdkResponse {
  code: number;
  body: Record<string, unknown>;
  errors: Array<{ code: number; message: string }>;
  header: Record<string, string>;
}

/** The FDK request envelope (foundry-platform.md §1.5), as Foundry POSTs it to the function. */
export interface FdkEnvelope {
  method: string;
  url: string;
  body: unknown;
  params?: { header?: Record<string, string[]>; query?: Record<string, string[]> };
  access_token?: string;
  context?: Record<string, unknown>;
  fn_id?: string;
  fn_version?: number;
  trace_id?: string;
}

export interface PythonFunctionOptions {
  /** The function's environment (CS_CLOUD, PG_API_BASE_URL, PG_SANDBOX_CLOCK, APP_ID). */
  env: Record<string, string>;
  /** @default the repository's .venv interpreter */
  python?: string;
  /** @default 15 s */
  startTimeoutMs?: number;
}

const FUNCTION_DIR = join(repositoryRoot(), 'functions', 'page-run');

/**
 * The page-run function on the official FDK's HTTP runner, in its own Python process on a loopback port:
 * what `foundry functions run` would serve. Readiness is a successful connect, not the runner's log line
 * (it says "running at port" before the socket is bound).
 */
export class PythonFunction {
  readonly #child: ChildProcess;
  readonly #output: string[];
  readonly url: string;

  private constructor(child: ChildProcess, output: string[], port: number) {
    this.#child = child;
    this.#output = output;
    this.url = `http://127.0.0.1:${port}/`;
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  static async start(options: PythonFunctionOptions): Promise<PythonFunction> {
    const python = options.python ?? venvPython(repositoryRoot());
    if (python === null) throw new Error('The Python environment of the page-run function is missing; run `npm run setup:python` (it creates .venv from functions/page-run/requirements.txt)');
    const port = await freePort();
    const child = spawn(python, ['main.py'], {
      cwd: FUNCTION_DIR,
      env: { PATH: process.env['PATH'] ?? '', PORT: String(port), PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const keep = (chunk: Buffer): void => {
      output.push(chunk.toString('utf8'));
      if (output.length > 50) output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const fn = new PythonFunction(child, output, port);
    const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
    while (!(await accepts(port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`The Python function did not start on port ${port}${child.exitCode !== null ? ` (exit ${child.exitCode})` : ''}: ${output.join('').slice(-800)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return fn;
  }

  /** POSTs one envelope to the runner and returns what it answered. */
  async invoke(envelope: FdkEnvelope, timeoutMs = 950_000): Promise<FdkResponse> {
    const answer = await request(this.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(envelope),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await answer.body.text();
    let parsed: Partial<FdkResponse>;
    try {
      parsed = JSON.parse(text) as Partial<FdkResponse>;
    } catch {
      throw new Error(`The Python function answered HTTP ${answer.statusCode} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
    return { code: parsed.code ?? answer.statusCode, body: parsed.body ?? {}, errors: parsed.errors ?? [], header: parsed.header ?? {} };
  }

  /** The last lines the process wrote (the FDK logs every request). */
  output(): string {
    return this.#output.join('');
  }

  async close(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.kill('SIGTERM');
    await exited;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
