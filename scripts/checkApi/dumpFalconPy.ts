import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The FalconPy release the check reads. Pinned so a run is reproducible; raise it on purpose and read the
 * new findings (FalconPy regenerates its tables from the Falcon swagger with each release).
 */
export const FALCONPY_VERSION = '1.6.6';

const DUMPER = join(import.meta.dirname, 'dump_falconpy_endpoints.py');

export type DumpStage = 'python' | 'venv' | 'install' | 'dump';

export type DumpResult = { ok: true; raw: unknown } | { ok: false; stage: DumpStage; message: string };

/**
 * Installs crowdstrike-falconpy==`version` into a throwaway virtual environment, runs the dumper in it
 * and returns its JSON unparsed. The environment is removed whatever happens, so nothing of FalconPy
 * stays on the machine or in the repository.
 */
export function dumpFalconPy(version: string = FALCONPY_VERSION, log: (line: string) => void = () => {}): DumpResult {
  const python = findPython();
  if (!python.ok) return python;
  const dir = mkdtempSync(join(tmpdir(), 'pg-check-api-'));
  try {
    const venv = join(dir, 'venv');
    log(`creating a virtual environment with ${python.path} (Python ${python.version}) in ${venv}`);
    const made = run(python.path, ['-m', 'venv', venv]);
    if (made !== null) return { ok: false, stage: 'venv', message: `${python.path} -m venv failed (${made}). Install the venv module (Debian/Ubuntu: apt-get install python3-venv) or point PG_PYTHON at a Python that has it.` };
    const venvPython = join(venv, 'bin', 'python');
    log(`installing crowdstrike-falconpy==${version}`);
    const installed = run(venvPython, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-input', `crowdstrike-falconpy==${version}`]);
    if (installed !== null) {
      return {
        ok: false,
        stage: 'install',
        message: `pip could not install crowdstrike-falconpy==${version} (${installed}). The check needs PyPI: check the network or proxy (pip honours HTTPS_PROXY and PIP_INDEX_URL), and that version ${version} exists.`,
      };
    }
    log('reading the endpoint tables');
    const dumped = spawnSync(venvPython, [DUMPER], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (dumped.error !== undefined || dumped.status !== 0) {
      return { ok: false, stage: 'dump', message: `${DUMPER} failed (${failure(dumped)}). FalconPy ${version} may have moved its _endpoint tables; adapt the dumper.` };
    }
    try {
      return { ok: true, raw: JSON.parse(dumped.stdout) as unknown };
    } catch (error) {
      return { ok: false, stage: 'dump', message: `${DUMPER} printed something that is not JSON (${error instanceof Error ? error.message : String(error)}); run it by hand to see why.` };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `PG_PYTHON`, else `python3`, if it is 3.9 or newer. scripts/pythonEnv.ts keeps its (3.13-first)
 * discovery private, and this check needs no particular minor: only a Python that can make a venv.
 */
function findPython(): { ok: true; path: string; version: string } | { ok: false; stage: 'python'; message: string } {
  const candidates = [process.env['PG_PYTHON'], 'python3'].filter((c): c is string => c !== undefined && c !== '');
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8' });
    if (probe.error !== undefined || probe.status !== 0) continue;
    const version = probe.stdout.trim();
    const [major, minor] = version.split('.').map(Number);
    if (major === 3 && (minor ?? 0) >= 9) return { ok: true, path: candidate, version };
  }
  return { ok: false, stage: 'python', message: `No Python 3.9 or newer found (tried ${candidates.join(', ')}). Install python3 or set PG_PYTHON to one.` };
}

/** null when the command succeeded, else what went wrong in a few words. */
function run(command: string, args: string[]): string | null {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return result.error === undefined && result.status === 0 ? null : failure(result);
}

function failure(result: { error?: Error | undefined; status: number | null; stderr: string }): string {
  if (result.error !== undefined) return result.error.message;
  const tail = result.stderr.trim().split('\n').slice(-3).join(' | ');
  return `exit ${result.status ?? 'by signal'}${tail === '' ? '' : `: ${tail}`}`;
}
