import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_EPOCH_MS } from '../../sandbox/inProcessSandbox.ts';
import { foundryToken, invokeFunction } from '../../functions/host/invokeFunction.ts';
import { performIo } from '../../functions/host/performIo.ts';
import { PythonFunction, type FdkResponse } from '../../functions/host/PythonFunction.ts';
import { undiciTransport } from '../../functions/host/undiciTransport.ts';
import { skewedClock, VirtualClock } from '../../functions/host/VirtualClock.ts';
import { decodeCheckpoint, encodeCheckpoint, type CheckpointData } from '../../functions/engine/Checkpoint.ts';
import { CHECKPOINTS_COLLECTION, checkpointRecordKey } from '../../functions/storage/CheckpointRecord.ts';
import { RUNS_COLLECTION } from '../../functions/storage/RunRecord.ts';
import { KEYS_COLLECTION, newSigningKeys, SIGNING_KEYS_OBJECT } from '../../functions/storage/SigningKeys.ts';
import { FalconSandbox, type SandboxRequest } from '../../sandbox/FalconSandbox.ts';
import { startSandboxServer, type SandboxServer } from '../../sandbox/server.ts';

// Every attack of the security review, tried over real loopback sockets against the Python function
// (FDK HTTP runner, QuickJS) and the CLI, with a listener on another port standing in for the attacker.

const ROOT = join(import.meta.dirname, '..', '..');
const INSTALL_KEY = '5ec0'.repeat(16);
const KEYS = { current: INSTALL_KEY };

/** A TCP listener that counts connections and keeps every byte sent to it: a token or secret must never arrive. */
class Listener {
  connections = 0;
  received = '';
  readonly #server: Server;
  constructor() {
    this.#server = createServer((socket) => {
      this.connections++;
      socket.on('data', (chunk) => (this.received += chunk.toString('utf8')));
      socket.on('error', () => {});
      socket.end();
    });
  }
  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const address = this.#server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }
  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

interface Install {
  sandbox: FalconSandbox;
  clock: VirtualClock;
  token(): string;
  call(url: string, body: unknown): Promise<FdkResponse>;
}

let server: SandboxServer;
let fn: PythonFunction;
let listener: Listener;
let listenerPort: number;
let install: Install;
/** Rewrites answers of the sandbox on their way out (a hostile API); identity unless a test sets it. */
let rewrite: (request: SandboxRequest, body: string) => string = (_r, body) => body;

function freshInstall(): Install {
  const clock = new VirtualClock(SANDBOX_EPOCH_MS);
  const sandbox = new FalconSandbox({ seed: 21, profile: 'clean', sizes: { alerts: 1500, intel: 1500 }, clock });
  const handle = sandbox.handle.bind(sandbox);
  sandbox.handle = (request) => {
    const answer = handle(request);
    return answer.kind === 'http' ? { ...answer, body: rewrite(request, answer.body) } : answer;
  };
  sandbox.storage.put(KEYS_COLLECTION, SIGNING_KEYS_OBJECT, newSigningKeys(INSTALL_KEY, clock.nowMs(), null), clock.nowMs());
  server.replace(sandbox, clock);
  const token = (): string => {
    const answer = sandbox.handle({ method: 'POST', url: `${server.baseUrl}/oauth2/token`, headers: {}, body: `client_id=${sandbox.credentials.clientId}&client_secret=${sandbox.credentials.clientSecret}`, clientKey: 'platform' });
    if (answer.kind !== 'http' || answer.status !== 201) throw new Error('no token');
    return (JSON.parse(answer.body) as { access_token: string }).access_token;
  };
  return {
    sandbox,
    clock,
    token,
    call: (url, body) => fn.invoke({ method: 'POST', url, body, access_token: token(), params: { header: { 'X-Cs-Executionid': ['attack'] } } }),
  };
}

beforeAll(async () => {
  const clock = new VirtualClock(SANDBOX_EPOCH_MS);
  server = await startSandboxServer({ sandbox: new FalconSandbox({ clock }), clock });
  fn = await PythonFunction.start({ env: { PG_API_BASE_URL: server.baseUrl, PG_SANDBOX_CLOCK: '1', APP_ID: 'attack-test' } });
  listener = new Listener();
  listenerPort = await listener.listen();
});

afterAll(async () => {
  await fn.close();
  await server.close();
  await listener.close();
});

function signedWith(key: string, data: CheckpointData): string {
  return encodeCheckpoint(data, { current: key });
}

/** A real checkpoint of this install, decoded: the starting point of every forgery below. */
async function realCheckpoint(stream: 'alerts' | 'intel-indicators'): Promise<CheckpointData> {
  const run = await install.call('/page-run', { stream, max_pages: 1, record_run: 'false', fields: ['created_timestamp'] });
  expect(run.code).toBe(200);
  const decoded = decodeCheckpoint(String(run.body['checkpoint']), KEYS);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.data;
}

describe('forged checkpoints (Python function over loopback)', () => {
  beforeAll(() => {
    install = freshInstall();
  });

  it('refuses one signed with the old public key, one signed by the attacker under our key id, and one of another install', async () => {
    const data = await realCheckpoint('alerts');
    const payload = Buffer.from(JSON.stringify({ ...data, v: 1 })).toString('base64url');
    const v1 = `pg1.${payload}.${createHmac('sha256', 'pagination-guard/checkpoint/v1').update(`pg1.${payload}`).digest('base64url')}`;
    const ours = signedWith(INSTALL_KEY, data);
    const keyId = ours.split('.')[1] as string;
    const body = ours.split('.')[2] as string;
    const forged = `pg2.${keyId}.${body}.${createHmac('sha256', 'attacker-key').update(`pg2.${keyId}.${body}`).digest('base64url')}`;
    const foreign = signedWith('b'.repeat(64), data);
    const before = install.sandbox.storage.keys(RUNS_COLLECTION).length;
    for (const [checkpoint, code] of [[v1, 'CHECKPOINT_VERSION'], [forged, 'CHECKPOINT_TAMPERED'], [foreign, 'CHECKPOINT_FOREIGN_KEY']] as const) {
      const run = await install.call('/page-run', { stream: 'alerts', checkpoint });
      expect(run.code, code).toBe(400);
      expect(run.body).toMatchObject({ error_code: code, field: 'checkpoint' });
      const save = await install.call('/checkpoints', { action: 'save', stream: 'alerts', checkpoint });
      expect(save.body).toMatchObject({ error_code: code });
    }
    expect(install.sandbox.storage.keys(RUNS_COLLECTION)).toHaveLength(before);
    expect(install.sandbox.storage.keys(CHECKPOINTS_COLLECTION)).toEqual([]);
  });

  it('refuses a validly signed checkpoint whose cursor would leave the API origin: the listener never hears from it', async () => {
    const data = await realCheckpoint('intel-indicators');
    const stored = checkpointRecordKey('intel-indicators', '');
    for (const path of [`@127.0.0.1:${listenerPort}/intel/combined/indicators/v1`, `.evil.example/intel/combined/indicators/v1`, `//127.0.0.1:${listenerPort}/intel/combined/indicators/v1`]) {
      const hostile = signedWith(INSTALL_KEY, { ...data, chain: { ...(data.chain as NonNullable<CheckpointData['chain']>), cursor: { kind: 'next-page', path } } });
      const run = await install.call('/page-run', { stream: 'intel-indicators', checkpoint: hostile });
      expect(run.body, path).toMatchObject({ error_code: 'CHECKPOINT_MALFORMED', field: 'checkpoint' });
      expect((await install.call('/checkpoints', { action: 'save', stream: 'intel-indicators', checkpoint: hostile })).code).toBe(400);
      // Written straight into the collection (storage write access), then resumed by the scheduled workflow's step.
      install.sandbox.storage.put(CHECKPOINTS_COLLECTION, stored, { stream: 'intel-indicators', filter: '', checkpoint: hostile, has_more: 'true', session_id: data.sessionId, seq: data.seq, key_id: '', updated_at_ms: 0, last_run_id: '', last_verdict: '' }, 0);
      const resumed = await install.call('/page-run', { stream: 'intel-indicators', resume_from_collection: 'true' });
      expect(resumed.body).toMatchObject({ error_code: 'CHECKPOINT_MALFORMED' });
    }
    expect(listener.connections).toBe(0);
  });

  it('refuses a validly signed checkpoint with no ranges left, which would end the export as complete after 0 calls', async () => {
    const data = await realCheckpoint('alerts');
    const cut = signedWith(INSTALL_KEY, { ...data, ranges: [], complete: false });
    expect((await install.call('/checkpoints', { action: 'save', stream: 'alerts', checkpoint: cut })).body).toMatchObject({ error_code: 'CHECKPOINT_MALFORMED' });
    expect((await install.call('/page-run', { stream: 'alerts', checkpoint: cut })).body).toMatchObject({ error_code: 'CHECKPOINT_MALFORMED' });
  });
});

describe('the checkpoint store (Python function over loopback)', () => {
  beforeAll(() => {
    install = freshInstall();
  });

  it('refuses a rollback and a swap to another session, and resets only when confirmed', async () => {
    const first = await install.call('/page-run', { stream: 'alerts', max_pages: 1, record_run: 'false' });
    const second = await install.call('/page-run', { stream: 'alerts', max_pages: 1, record_run: 'false', checkpoint: first.body['checkpoint'] });
    const save = (checkpoint: unknown) => install.call('/checkpoints', { action: 'save', stream: 'alerts', checkpoint });
    expect((await save(second.body['checkpoint'])).code).toBe(200);
    const rollback = await save(first.body['checkpoint']);
    expect(rollback).toMatchObject({ code: 409, body: { error_code: 'CHECKPOINT_ROLLBACK' } });
    // The stored checkpoint saved again (a run whose sink stored nothing answers the one it started from) changes nothing.
    expect((await save(second.body['checkpoint'])).code).toBe(200);
    const other = await install.call('/page-run', { stream: 'alerts', max_pages: 1, record_run: 'false', session_id: 'intruder' });
    expect((await save(other.body['checkpoint'])).body).toMatchObject({ error_code: 'CHECKPOINT_FOREIGN_SESSION' });
    const stored = await install.call('/checkpoints', { action: 'get', stream: 'alerts' });
    expect(stored.body['checkpoint']).toBe(second.body['checkpoint']);
    expect((await install.call('/checkpoints', { action: 'reset', stream: 'alerts' })).body).toMatchObject({ error_code: 'CONFIRMATION_REQUIRED' });
    expect((await install.call('/checkpoints', { action: 'get', stream: 'alerts' })).body['checkpoint']).toBe(second.body['checkpoint']);
    expect((await install.call('/checkpoints', { action: 'reset', stream: 'alerts', confirm: 'reset' })).code).toBe(200);
    // After a confirmed reset another session may start.
    expect((await save(other.body['checkpoint'])).code).toBe(200);
  });

  it('rotates the signing key only when confirmed; checkpoints of the previous key still resume, re-signed with the new one', async () => {
    const run = await install.call('/page-run', { stream: 'iocs', max_pages: 1, record_run: 'false' });
    expect((await install.call('/checkpoints', { action: 'rotate_key', stream: 'iocs' })).body).toMatchObject({ error_code: 'CONFIRMATION_REQUIRED' });
    expect((await install.call('/checkpoints', { action: 'rotate_key', stream: 'iocs', confirm: 'rotate_key' })).code).toBe(200);
    const keys = install.sandbox.storage.object(KEYS_COLLECTION, SIGNING_KEYS_OBJECT) as { current: { key: string }; previous: { key: string } };
    expect(keys.previous.key).toBe(INSTALL_KEY);
    expect(keys.current.key).toMatch(/^[0-9a-f]{64}$/);
    expect(keys.current.key).not.toBe(INSTALL_KEY);
    const resumed = await install.call('/page-run', { stream: 'iocs', max_pages: 1, record_run: 'false', checkpoint: run.body['checkpoint'] });
    expect(resumed.code).toBe(200);
    expect(decodeCheckpoint(String(resumed.body['checkpoint']), { current: keys.current.key })).toMatchObject({ ok: true, signedWith: 'current' });
    // One more rotation retires the install key: its checkpoints are foreign from then on.
    await install.call('/checkpoints', { action: 'rotate_key', stream: 'iocs', confirm: 'rotate_key' });
    expect((await install.call('/page-run', { stream: 'iocs', checkpoint: run.body['checkpoint'] })).body).toMatchObject({ error_code: 'CHECKPOINT_FOREIGN_KEY' });
  });

  it('makes a key of its own on first use and never answers it', async () => {
    install = freshInstall();
    install.sandbox.storage.put(KEYS_COLLECTION, SIGNING_KEYS_OBJECT, { broken: true }, 0);
    expect((await install.call('/page-run', { stream: 'alerts', max_pages: 1 })).body).toMatchObject({ error_code: 'KEY_STORE_CORRUPT' });
    const clean = freshInstall();
    clean.sandbox.storage.put(KEYS_COLLECTION, SIGNING_KEYS_OBJECT, null, 0);
    const keyless = new FalconSandbox({ seed: 21, profile: 'clean', sizes: { alerts: 500 }, clock: clean.clock });
    server.replace(keyless, clean.clock);
    const token = (() => {
      const answer = keyless.handle({ method: 'POST', url: `${server.baseUrl}/oauth2/token`, headers: {}, body: `client_id=${keyless.credentials.clientId}&client_secret=${keyless.credentials.clientSecret}` });
      return answer.kind === 'http' ? (JSON.parse(answer.body) as { access_token: string }).access_token : '';
    })();
    const run = await fn.invoke({ method: 'POST', url: '/page-run', body: { stream: 'alerts', max_pages: 1 }, access_token: token });
    expect(run.code).toBe(200);
    const made = keyless.storage.object(KEYS_COLLECTION, SIGNING_KEYS_OBJECT) as { current: { key: string } };
    expect(made.current.key).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(run)).not.toContain(made.current.key);
    expect(JSON.stringify(keyless.storage.object(RUNS_COLLECTION, keyless.storage.keys(RUNS_COLLECTION)[0] ?? ''))).not.toContain(made.current.key);
  });
});

describe('prototype pollution through a projection', () => {
  /** Every alert the API answers carries its own "__proto__" member, as a hostile or broken API could send. */
  const poison = (request: SandboxRequest, body: string): string => (request.url.includes('/alerts/') ? body.replaceAll('{"composite_id"', '{"__proto__":{"polluted":"yes"},"composite_id"') : body);

  it('refuses prototype paths as bad input, and a hostile record pollutes nothing in the warm Python function', async () => {
    install = freshInstall();
    for (const fields of [['__proto__.polluted'], ['severity', 'a.constructor.prototype.polluted'], ['prototype'], ['a..b']]) {
      const run = await install.call('/page-run', { stream: 'alerts', fields });
      expect(run.code, fields.join()).toBe(400);
      expect(run.body['field']).toMatch(/^fields\.\d$/);
    }
    rewrite = poison;
    try {
      const run = await install.call('/page-run', { stream: 'alerts', fields: ['severity'], max_pages: 1, record_run: 'false' });
      expect(run.code).toBe(200);
      expect((run.body['items'] as unknown[]).length).toBeGreaterThan(0);
      expect(JSON.stringify(run.body['items'])).not.toContain('polluted');
    } finally {
      rewrite = (_r, body) => body;
    }
    // The same warm process still validates strictly and still works.
    expect((await install.call('/page-run', { stream: 'alerts', surprise: 1 })).body).toMatchObject({ error_code: 'INPUT_INVALID', field: '(body)' });
    expect((await install.call('/page-run', { stream: 'alerts', max_pages: 1, record_run: 'false' })).code).toBe(200);
  });

  it('leaves Object.prototype of the Node host untouched', async () => {
    install = freshInstall();
    rewrite = poison;
    const node = undiciTransport();
    try {
      const run = await invokeFunction(
        { method: 'POST', url: '/page-run', body: { stream: 'alerts', fields: ['severity', 'polluted'], max_pages: 1, record_run: 'false' } },
        { transport: node.transport, clock: skewedClock(install.clock, 0), sleep: install.clock.sleep, auth: foundryToken(install.token(), server.baseUrl), appId: 'attack-test' },
      );
      expect(run.code).toBe(200);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
      expect(JSON.stringify(run.body['items'])).not.toContain('polluted');
    } finally {
      rewrite = (_r, body) => body;
      await node.close();
    }
  });
});

describe('the bearer token and the client secret stay on the Falcon origin', () => {
  it('the Node host refuses a path that would leave the API origin before attaching the token', async () => {
    const node = undiciTransport();
    try {
      for (const path of [`@127.0.0.1:${listenerPort}/x`, '.evil.example/x', `//127.0.0.1:${listenerPort}/x`, '/\\\\evil.example/x']) {
        const event = await performIo(
          { kind: 'http', request: { method: 'GET', path, headers: {}, body: null }, timeoutMs: 2000 },
          { transport: node.transport, clock: { nowMs: () => 0 }, sleep: async () => {}, auth: foundryToken('token-never-sent', server.baseUrl) },
        );
        expect(event).toMatchObject({ kind: 'http-error', message: 'refused: the request would leave the Falcon API origin' });
      }
    } finally {
      await node.close();
    }
    expect(listener.connections).toBe(0);
  });

  it('the CLI does not follow a token redirect to another origin, and the secret never reaches it', async () => {
    const secret = 'client-secret-that-must-stay-home';
    const redirector: HttpServer = createHttpServer((_req, res) => {
      res.writeHead(308, { Location: `http://127.0.0.1:${listenerPort}/oauth2/token`, 'Content-Length': '0' });
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    const address = redirector.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const ran = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [join(ROOT, 'bin', 'pagination-guard.mjs'), 'export', 'alerts', '--base-url', `http://127.0.0.1:${port}`], {
          cwd: ROOT,
          env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'pg-attack-')), FALCON_CLIENT_ID: 'client', FALCON_CLIENT_SECRET: secret },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stderr }));
      });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain('not a Falcon cloud');
      expect(ran.stderr).not.toContain(secret);
    } finally {
      await new Promise<void>((resolve) => redirector.close(() => resolve()));
    }
    expect(listener.connections).toBe(0);
    expect(listener.received).not.toContain(secret);
  });
});
