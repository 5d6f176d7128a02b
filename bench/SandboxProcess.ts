import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SandboxChildConfig, SandboxChildMessage } from './sandboxChild.ts';

const CHILD = fileURLToPath(new URL('./sandboxChild.ts', import.meta.url));

type Ready = Extract<SandboxChildMessage, { kind: 'ready' }>;
type Finished = Extract<SandboxChildMessage, { kind: 'finished' }>;

/** The parent's handle on a sandbox server running in a child process (see sandboxChild.ts). */
export class SandboxProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly ready: Ready,
  ) {}

  static async start(config: SandboxChildConfig): Promise<SandboxProcess> {
    const child = fork(CHILD, [JSON.stringify(config)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ready = await nextMessage(child, 'ready');
    return new SandboxProcess(child, ready);
  }

  get credentials(): { clientId: string; clientSecret: string } {
    return { clientId: this.ready.clientId, clientSecret: this.ready.clientSecret };
  }

  /** Ground truth at the end, the calls the server saw (tokens excluded), and its time inside `handle`; then stops it. */
  async finish(): Promise<Finished> {
    const finished = nextMessage(this.child, 'finished');
    this.child.send({ kind: 'finish' });
    const result = await finished;
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    this.child.disconnect();
    await exited;
    return result;
  }
}

function nextMessage<K extends SandboxChildMessage['kind']>(child: ChildProcess, kind: K): Promise<Extract<SandboxChildMessage, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: SandboxChildMessage): void => {
      if (message.kind !== kind) return;
      cleanup();
      resolve(message as Extract<SandboxChildMessage, { kind: K }>);
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`The sandbox process exited (code ${code}) before sending "${kind}".`));
    };
    const cleanup = (): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
