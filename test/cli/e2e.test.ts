import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FalconAuth } from '../../functions/host/FalconAuth.ts';
import { runPageRun } from '../../functions/host/runPageRun.ts';
import { undiciTransport } from '../../functions/host/undiciTransport.ts';
import { FalconSandbox } from '../../sandbox/FalconSandbox.ts';
import { STREAM_NAMES } from '../../functions/falcon/streams.ts';
import { startSandboxServer, type SandboxServer } from '../../sandbox/server.ts';
import { checkpointPayload, leakedSecrets } from '../support/secretScan.ts';
import { TEST_CHECKPOINT_KEYS } from '../support/checkpointKeys.ts';
import { runNode, TEST_CONFIG_HOME, type Ran } from '../support/runNode.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const SIZES = { alerts: 3000, iocs: 2500, intel: 4000, hosts: 1500, vulnerabilities: 2000 };

function cli(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return runNode([join(ROOT, 'bin', 'pagination-guard.mjs'), ...args], { cwd: ROOT, env });
}

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean);
}

describe('the CLI over a real loopback socket', () => {
  let server: SandboxServer;
  let sandbox: FalconSandbox;
  let env: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), 'pagination-guard-'));

  beforeAll(async () => {
    sandbox = new FalconSandbox({ seed: 3, profile: 'clean', sizes: SIZES });
    server = await startSandboxServer({ sandbox, port: 0 });
    env = { FALCON_CLIENT_ID: sandbox.credentials.clientId, FALCON_CLIENT_SECRET: sandbox.credentials.clientSecret };
  });
  afterAll(async () => {
    await server.close();
  });

  it('exports a whole stream to NDJSON and exits 0', async () => {
    const out = join(dir, 'alerts.ndjson');
    const ran = await cli(['export', 'alerts', '--base-url', server.baseUrl, '--out', out, '--checkpoint', join(dir, 'alerts.cp'), '--json'], env);
    expect(ran.stderr).toContain('verdict complete');
    expect(ran.code).toBe(0);
    const summary = JSON.parse(ran.stdout) as { verdict: string; has_more: string; health: { items: number; apiCalls: number } };
    expect(summary.verdict).toBe('complete');
    expect(summary.has_more).toBe('false');
    const ids = lines(out).map((l) => (JSON.parse(l) as { composite_id: string }).composite_id);
    expect(new Set(ids)).toEqual(sandbox.matchingIds('alerts', ''));
    expect(ids).toHaveLength(SIZES.alerts);
    expect(summary.health.items).toBe(SIZES.alerts);
    const checkpoint = readFileSync(join(dir, 'alerts.cp'), 'utf8');
    const secrets = [...sandbox.issuedAccessTokens(), sandbox.credentials.clientSecret];
    expect(sandbox.issuedAccessTokens().length).toBeGreaterThan(0);
    expect(leakedSecrets([ran.stdout, ran.stderr, checkpoint, checkpointPayload(checkpoint)], secrets)).toEqual([]);
  });

  it('stops with exit 3 at --max-pages and resumes from the checkpoint file without loss or duplicates', async () => {
    const out = join(dir, 'resumed.ndjson');
    const checkpoint = join(dir, 'resumed.cp');
    const base = ['export', 'alerts', '--base-url', server.baseUrl, '--out', out, '--checkpoint', checkpoint];
    const first = await cli([...base, '--max-pages', '1', '--filter', "status:!'closed'"], env);
    expect(first.code).toBe(3);
    expect(first.stderr).toContain('stopped_max_pages');
    const partial = lines(out).length;
    expect(partial).toBeGreaterThan(0);
    const second = await cli([...base, '--resume', '--filter', "status:!'closed'"], env);
    expect(second.code).toBe(0);
    const ids = lines(out).map((l) => (JSON.parse(l) as { composite_id: string }).composite_id);
    expect(ids.length).toBeGreaterThan(partial);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(sandbox.matchingIds('alerts', "status:!'closed'"));
  });

  it('refuses a checkpoint made for another filter, and a tampered one, with exit 2', async () => {
    const checkpoint = join(dir, 'iocs.cp');
    const base = ['export', 'iocs', '--base-url', server.baseUrl, '--out', join(dir, 'iocs.ndjson'), '--checkpoint', checkpoint];
    expect((await cli([...base, '--max-pages', '1'], env)).code).toBe(3);
    const other = await cli([...base, '--resume', '--filter', "type:'domain'"], env);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('CHECKPOINT_FOREIGN_FILTER');
    const text = readFileSync(checkpoint, 'utf8').trim();
    const middle = Math.floor(text.length / 2);
    writeFileSync(checkpoint, text.slice(0, middle) + (text[middle] === 'A' ? 'B' : 'A') + text.slice(middle + 1));
    const tampered = await cli([...base, '--resume'], env);
    expect(tampered.code).toBe(2);
    expect(tampered.stderr).toContain('CHECKPOINT_TAMPERED');
  });

  it('signs with a 0600 key file of its own, and refuses a checkpoint another key signed, or a key file others can read', async () => {
    const checkpoint = join(dir, 'keyed.cp');
    const base = ['export', 'iocs', '--base-url', server.baseUrl, '--out', join(dir, 'keyed.ndjson'), '--checkpoint', checkpoint];
    expect((await cli([...base, '--max-pages', '1'], env)).code).toBe(3);
    const keyFile = join(TEST_CONFIG_HOME, 'pagination-guard', 'checkpoint.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    // Another user (another key) cannot resume it: the checkpoint was not signed by them.
    const foreign = await cli([...base, '--resume'], { ...env, PG_CHECKPOINT_KEY: 'a'.repeat(64) });
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain('CHECKPOINT_FOREIGN_KEY');
    // The same checkpoint resumes under its own key, and after a rotation while the old key is PG_CHECKPOINT_PREVIOUS_KEY.
    const ownKey = readFileSync(keyFile, 'utf8').trim();
    const rotated = await cli([...base, '--resume', '--max-pages', '1'], { ...env, PG_CHECKPOINT_KEY: 'b'.repeat(64), PG_CHECKPOINT_PREVIOUS_KEY: ownKey });
    expect([0, 3]).toContain(rotated.code);
    expect(rotated.stderr).not.toContain("CHECKPOINT_");
    const looseHome = mkdtempSync(join(tmpdir(), 'pagination-guard-config-'));
    mkdirSync(join(looseHome, 'pagination-guard'));
    writeFileSync(join(looseHome, 'pagination-guard', 'checkpoint.key'), 'c'.repeat(64), { mode: 0o644 });
    const loose = await cli(['export', 'iocs', '--base-url', server.baseUrl, '--out', join(dir, 'loose.ndjson')], { ...env, XDG_CONFIG_HOME: looseHome });
    expect(loose.code).toBe(2);
    expect(loose.stderr).toContain('readable by others');
  });

  it('names the problem and exits 2 on bad input', async () => {
    const unknown = await cli(['export', 'widgets', '--sandbox', 'clean']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown stream "widgets"');
    const retired = await cli(['export', 'detections', '--sandbox', 'clean']);
    expect(retired.code).toBe(2);
    expect(retired.stderr).toContain('decommissioned on September 30, 2025; export "alerts" instead');
    const noCreds = await cli(['export', 'alerts']);
    expect(noCreds.code).toBe(2);
    expect(noCreds.stderr).toContain('FALCON_CLIENT_ID');
    const badDeadline = await cli(['export', 'alerts', '--sandbox', 'clean', '--deadline', 'soon']);
    expect(badDeadline.code).toBe(2);
    expect(badDeadline.stderr).toContain('--deadline "soon"');
    const badFilter = await cli(['export', 'alerts', '--sandbox', 'clean', '--filter', "severity:'50"]);
    expect(badFilter.code).toBe(2);
    expect(badFilter.stderr).toContain('FILTER_INVALID');
  });

  it('cuts the output back to what the checkpoint covers: a page (and half a line) written by a killed run is not repeated', async () => {
    const out = join(dir, 'killed.ndjson');
    const checkpoint = join(dir, 'killed.cp');
    const base = ['export', 'iocs', '--base-url', server.baseUrl, '--out', out, '--checkpoint', checkpoint];
    expect((await cli([...base, '--max-pages', '1'], env)).code).toBe(3);
    const firstPage = lines(out);
    // A run killed after writing its next page but before saving its checkpoint, the second time mid-line.
    appendFileSync(out, firstPage.slice(0, 5).join('\n') + '\n{"id":"half-writ');
    const resumed = await cli([...base, '--resume'], env);
    expect(resumed.code).toBe(0);
    const ids = lines(out).map((line) => (JSON.parse(line) as { id: string }).id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(sandbox.matchingIds('iocs'));
  });

  it('refuses to resume onto an output file that lost records or is another file, and to overwrite one without --force', async () => {
    const out = join(dir, 'guarded.ndjson');
    const checkpoint = join(dir, 'guarded.cp');
    const base = ['export', 'iocs', '--base-url', server.baseUrl, '--out', out, '--checkpoint', checkpoint];
    expect((await cli([...base, '--max-pages', '1'], env)).code).toBe(3);
    const kept = readFileSync(out, 'utf8');
    // A plain re-run, a bad filter and a re-run with no checkpoint to resume would all have replaced the file.
    for (const extra of [[], ['--filter', "type:'domain"]]) {
      const again = await cli([...base, ...extra], env);
      expect(again.code).toBe(2);
      expect(readFileSync(out, 'utf8')).toBe(kept);
    }
    // The tail of the file is what the checkpoint fingerprints: edit the last record.
    const at = kept.lastIndexOf('"id":"');
    writeFileSync(out, `${kept.slice(0, at)}"id":"edited-${kept.slice(at + 6)}`);
    const edited = await cli([...base, '--resume'], env);
    expect(edited.code).toBe(2);
    expect(edited.stderr).toContain('is not the file');
    unlinkSync(out);
    const deleted = await cli([...base, '--resume'], env);
    expect(deleted.code).toBe(2);
    expect(deleted.stderr).toContain('records were lost');
    const forced = await cli([...base, '--force'], env);
    expect(forced.code).toBe(0);
    expect(lines(out)).toHaveLength(sandbox.matchingIds('iocs').size);
  });

  it('lets one process at a time use a checkpoint, and takes over the lock of one that died', async () => {
    const out = join(dir, 'locked.ndjson');
    const checkpoint = join(dir, 'locked.cp');
    const base = ['export', 'iocs', '--base-url', server.baseUrl, '--out', out, '--checkpoint', checkpoint];
    expect((await cli([...base, '--max-pages', '1'], env)).code).toBe(3);
    // This test process is alive and "holds" the lock: the second exporter must not append.
    writeFileSync(`${checkpoint}.lock`, String(process.pid));
    const before = readFileSync(out, 'utf8');
    const blocked = await cli([...base, '--resume'], env);
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toContain(`pid ${process.pid}`);
    expect(readFileSync(out, 'utf8')).toBe(before);
    writeFileSync(`${checkpoint}.lock`, '2147483646');
    expect((await cli([...base, '--resume'], env)).code).toBe(0);
    expect(existsSync(`${checkpoint}.lock`)).toBe(false);
  });

  it('answers an unwritable path with one line and exit 2, and --help, -h and --version on every command', async () => {
    const unwritable = await cli(['export', 'iocs', '--base-url', server.baseUrl, '--out', join(dir, 'no-such-dir', 'x.ndjson')], env);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr.trim().split('\n')).toHaveLength(1);
    expect(unwritable.stderr).toContain('no-such-dir');
    for (const args of [['export', '--help'], ['export', 'alerts', '-h'], ['workflow', 'run', '--help'], ['demo', '-h'], ['-h']]) {
      const help = await cli(args);
      expect(help.code, args.join(' ')).toBe(0);
      expect(help.stdout).toContain('Sandbox profiles: clean');
      expect(help.stdout).toContain('Streams: alerts');
    }
    const version = await cli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^pagination-guard \d+\.\d+\.\d+\n$/);
  });

  it('fails with exit 1 and a clear message when the credentials are wrong', async () => {
    const ran = await cli(['export', 'alerts', '--base-url', server.baseUrl], { ...env, FALCON_CLIENT_SECRET: 'wrong-secret' });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('refused the API client credentials');
    expect(ran.stderr).not.toContain('wrong-secret');
  });
});

describe('the Node host over undici against a flaky sandbox server', () => {
  it('survives real connection resets and 5xx answers and exports everything once', async () => {
    const sandbox = new FalconSandbox({ seed: 5, profile: 'flaky', sizes: SIZES });
    const server = await startSandboxServer({ sandbox, port: 0 });
    const { transport, close } = undiciTransport();
    try {
      const clock = { nowMs: () => Date.now() };
      const auth = new FalconAuth({ transport, clock, credentials: sandbox.credentials, baseUrl: server.baseUrl });
      const seen: string[] = [];
      const start = sandbox.matchingIds('iocs', '');
      // The host does not wait out its backoffs here: the test is about sockets, not time.
      const result = await runPageRun(
        { stream: 'iocs', runId: 'e2e', apiBaseUrl: server.baseUrl, checkpointKeys: TEST_CHECKPOINT_KEYS, options: { pageLimit: 100, seed: 9 } },
        {
          transport,
          clock,
          sleep: async () => {},
          auth,
          sink: async (items) => {
            for (const item of items) seen.push((item as { id: string }).id);
          },
        },
      );
      expect(result.verdict).toBe('complete');
      expect(result.health.retries).toBeGreaterThan(0);
      const end = sandbox.matchingIds('iocs', '');
      const expected = [...start].filter((id) => end.has(id));
      expect(new Set(seen).size).toBe(seen.length);
      expect(expected.filter((id) => !seen.includes(id))).toEqual([]);
    } finally {
      await close();
      await server.close();
    }
  });
});

describe('npm run sandbox', () => {
  it('prints its base URL and working credentials', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'sandbox', 'main.ts'), '--port', '0', '--profile', 'clean'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const output = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('FALCON_CLIENT_SECRET=') && text.endsWith('\n')) resolve(text);
        });
        child.on('error', reject);
        child.on('close', () => reject(new Error(`sandbox exited early: ${text}`)));
      });
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      const id = /FALCON_CLIENT_ID=(\S+)/.exec(output)?.[1];
      const secret = /FALCON_CLIENT_SECRET=(\S+)/.exec(output)?.[1];
      expect(url && id && secret).toBeTruthy();
      const ran = await cli(['export', 'hosts', '--base-url', url as string, '--max-pages', '1', '--force', '--out', join(tmpdir(), `hosts-${process.pid}.ndjson`)], {
        FALCON_CLIENT_ID: id as string,
        FALCON_CLIENT_SECRET: secret as string,
      });
      expect([0, 3]).toContain(ran.code);
      expect(ran.stderr).toContain('page 1:');
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('npm run sandbox, stopped', () => {
  it('leaves with npm when npm gets SIGTERM instead of keeping its port', async () => {
    const npm = spawn('npm', ['run', '-s', 'sandbox', '--', '--port', '0', '--profile', 'clean'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      let text = '';
      npm.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
        if (found) resolve(found);
      });
      npm.on('close', () => reject(new Error(`npm run sandbox exited early: ${text}`)));
    });
    const port = Number(new URL(url).port);
    expect(await accepts(port)).toBe(true);
    npm.kill('SIGTERM');
    // Waits for the event (the port closing), at most 30 s; a server that outlives npm (orphaned) fails here.
    let open = true;
    for (let i = 0; i < 600 && open; i++) {
      open = await accepts(port);
      if (open) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(open).toBe(false);
    // Starting npm, tsx and the sandbox takes seconds on a loaded 2-core machine; the bound is on the port, not on this.
  }, 60_000);
});

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

describe('pagination-guard demo --json', () => {
  it('prints the documented shape with a complete verdict', async () => {
    const ran = await cli(['demo', '--json']);
    expect(ran.code).toBe(0);
    const report = JSON.parse(ran.stdout) as { verdict: string; rows: Array<Record<string, unknown>> };
    expect(report.verdict).toBe('complete');
    expect(report.rows).toHaveLength(STREAM_NAMES.length * 5);
    for (const row of report.rows) {
      expect(Object.keys(row).sort()).toEqual(
        ['calls', 'duplicates', 'expected', 'exported', 'missing', 'optimalCalls', 'profile', 'restarts', 'stream', 'tokenMissingMidRun', 'virtualMs'].sort(),
      );
      expect(row.missing).toBe(0);
      expect(row.duplicates).toBe(0);
    }
  });
});
