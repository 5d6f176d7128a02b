import { readFileSync } from 'node:fs';
import { FalconSandbox } from './FalconSandbox.ts';
import { parseSandboxArgs } from './parseSandboxArgs.ts';
import { startSandboxServer } from './server.ts';

/** `npm run sandbox -- --port 8787 --profile <name> [--seed N] [--scale F]`: runs until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const parsed = parseSandboxArgs(process.argv.slice(2));
  if (!parsed.ok) {
    console.error(`Failed to start the Falcon sandbox: ${parsed.message}`);
    process.exit(2);
  }
  const { port, profile, seed, sizes } = parsed.args;
  // `npm run sandbox` runs us under npm, a shell and tsx; when npm is killed they may not pass the
  // signal on, so the server watches its ancestors and leaves with them instead of lingering on its port.
  // The chain of parents is compared, not each pid's liveness: when any of them dies its children are
  // reparented, so the chain changes even if the dead pid is reused at once (pid_max 32768 makes that
  // likely under load) or lingers as a zombie. It is read before the server listens: whoever kills npm
  // on seeing our address must find the chain already recorded, or the change goes unnoticed.
  const ancestors = ancestorPids(process.pid);
  const sandbox = new FalconSandbox({ seed, profile, sizes });
  const server = await startSandboxServer({ sandbox, port });
  console.log(`Falcon sandbox (profile ${profile}) listening on ${server.baseUrl}`);
  console.log(`FALCON_CLIENT_ID=${sandbox.credentials.clientId} FALCON_CLIENT_SECRET=${sandbox.credentials.clientSecret}`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  setInterval(() => {
    const now = ancestorPids(process.pid);
    if (now.length !== ancestors.length || now.some((pid, i) => pid !== ancestors[i])) stop();
  }, 250);
}

/** The parent, grandparent, ... of a process up to init (at most 64), read from /proc; empty where there is none. */
function ancestorPids(pid: number): number[] {
  const out: number[] = [];
  let current = pid;
  for (let i = 0; i < 64; i++) {
    let parent: number;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${current}/stat`, 'utf8');
      parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      break;
    }
    if (!Number.isInteger(parent) || parent <= 1) break;
    out.push(parent);
    current = parent;
  }
  return out;
}

main().catch((error: unknown) => {
  console.error(`Failed to start the Falcon sandbox: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
