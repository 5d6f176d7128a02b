import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_NAMES, type StreamName } from '../../functions/falcon/streams.ts';
import { FalconSandbox } from '../../sandbox/FalconSandbox.ts';
import { startSandboxServer, type SandboxServer } from '../../sandbox/server.ts';
import { venvPython } from '../../scripts/pythonEnv.ts';
import { SMALL_SIZES } from '../sandbox/sandboxKit.ts';

/**
 * Issue #13: FalconPy, the official Python SDK, as a client of the sandbox served on a loopback socket.
 * The loops live in falconpy_loops.py; this file serves the sandbox and holds the ground truth.
 */

const SCRIPT = join(import.meta.dirname, 'falconpy_loops.py');
const VULNERABILITY_FILTER = "created_timestamp:>'1970-01-01'";
const python = venvPython();

let sandbox: FalconSandbox;
let server: SandboxServer;

beforeAll(async () => {
  sandbox = new FalconSandbox({ sizes: SMALL_SIZES });
  server = await startSandboxServer({ sandbox, port: 0 });
});

afterAll(async () => {
  await server.close();
});

/** Async, not spawnSync: the sandbox answers from this process's event loop. */
async function runLoops(mode: 'loops' | 'region'): Promise<unknown> {
  if (python === null) throw new Error('.venv is missing: run npm run setup:python');
  const { clientId, clientSecret } = sandbox.credentials;
  const { stdout } = await promisify(execFile)(python, [SCRIPT, server.baseUrl, clientId, clientSecret, mode], {
    // Anything FalconPy sends past the loopback goes to a dead proxy and fails at once, never to a real cloud.
    env: { ...process.env, HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '127.0.0.1,localhost' },
    timeout: 60_000,
  });
  return JSON.parse(stdout);
}

describe.skipIf(python === null)('FalconPy (crowdstrike-falconpy) against the loopback sandbox', () => {
  it('reads every stream with the service classes’ manual loops, to the ground truth', async () => {
    const read = (await runLoops('loops')) as Record<StreamName, string[]>;
    for (const stream of STREAM_NAMES) {
      const expected = sandbox.matchingIds(stream, stream === 'vulnerabilities' ? VULNERABILITY_FILTER : undefined);
      expect(read[stream], stream).toHaveLength(expected.size);
      expect(new Set(read[stream]), stream).toEqual(expected);
    }
  });

  it('moves a credentials login off the sandbox: X-Cs-Region replaces the caller’s base_url', async () => {
    // The sandbox answers like the real us-1 token endpoint. FalconPy's autodiscover_region compares the
    // header's "us1" with the "US1" its region lookup falls back to for an unknown URL, so it always switches.
    expect(await runLoops('region')).toEqual({ token_status: 201, base_url: 'https://api.crowdstrike.com' });
  });
});
