import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Python environment of the page-run function's host: its requirements plus the test tools. */
export const PYTHON_ENV = {
  dir: '.venv',
  requirements: ['functions/page-run/requirements.txt', 'functions/page-run/requirements-test.txt'],
  /** Foundry runs CPython 3.13 (foundry-platform.md §1.1); 3.10 is the oldest the pinned wheels serve. */
  preferred: '3.13',
  minimumMinor: 10,
} as const;

const REPOSITORY = join(import.meta.dirname, '..');

/** The environment's interpreter, or null when `npm run setup:python` has not made it yet. */
export function venvPython(root = REPOSITORY): string | null {
  const python = join(root, PYTHON_ENV.dir, 'bin', 'python');
  return existsSync(python) ? python : null;
}

/** Creates or refreshes `.venv` when the requirement files changed since it was made; returns its interpreter. */
export function ensurePythonEnv(root = REPOSITORY, log: (line: string) => void = () => {}): string {
  const stamp = join(root, PYTHON_ENV.dir, '.requirements-sha256');
  const hash = createHash('sha256');
  for (const file of PYTHON_ENV.requirements) hash.update(readFileSync(join(root, file)));
  const digest = hash.digest('hex');
  const existing = venvPython(root);
  if (existing !== null && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === digest) return existing;
  const base = basePython();
  log(`creating ${PYTHON_ENV.dir} with ${base.path} (Python ${base.version})`);
  execFileSync(base.path, ['-m', 'venv', '--clear', join(root, PYTHON_ENV.dir)], { stdio: 'inherit' });
  const python = venvPython(root);
  if (python === null) throw new Error(`python -m venv did not create ${PYTHON_ENV.dir}/bin/python`);
  const args = ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...PYTHON_ENV.requirements.flatMap((file) => ['-r', join(root, file)])];
  execFileSync(python, args, { stdio: 'inherit' });
  writeFileSync(stamp, digest + '\n');
  return python;
}

/** `PG_PYTHON`, else CPython 3.13 (on PATH or under pyenv), else `python3` if it is 3.10 or newer. */
function basePython(): { path: string; version: string } {
  const pyenv = join(process.env['PYENV_ROOT'] ?? join(homedir(), '.pyenv'), 'versions');
  const pyenvMatches = existsSync(pyenv) ? readdirSync(pyenv).filter((v) => v.startsWith(`${PYTHON_ENV.preferred}.`)).sort().reverse() : [];
  const candidates = [
    process.env['PG_PYTHON'],
    `python${PYTHON_ENV.preferred}`,
    ...pyenvMatches.map((v) => join(pyenv, v, 'bin', 'python3')),
    'python3',
  ].filter((c): c is string => c !== undefined && c !== '');
  for (const candidate of candidates) {
    let version: string;
    try {
      version = execFileSync(candidate, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      continue;
    }
    const [major, minor] = version.split('.').map(Number);
    if (major === 3 && (minor ?? 0) >= PYTHON_ENV.minimumMinor) return { path: candidate, version };
  }
  throw new Error(`No CPython 3.${PYTHON_ENV.minimumMinor} or newer found (tried ${candidates.join(', ')}); install python3 (3.13 preferred) or set PG_PYTHON`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const python = ensurePythonEnv(REPOSITORY, (line) => console.error(line));
  console.log(`${python}: ${execFileSync(python, ['--version'], { encoding: 'utf8' }).trim()}`);
}
