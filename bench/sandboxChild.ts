import type { StreamName } from '../functions/falcon/streams.ts';
import type { DatasetName } from '../sandbox/datasets/DatasetName.ts';
import { FalconSandbox } from '../sandbox/FalconSandbox.ts';
import type { ProfileName } from '../sandbox/profiles.ts';
import { startSandboxServer } from '../sandbox/server.ts';
import { sandboxTime } from './sandboxTimer.ts';

/** What the parent asks for (argv[2], JSON). */
export interface SandboxChildConfig {
  seed: number;
  profile: ProfileName;
  sizes?: Partial<Record<DatasetName, number>>;
  /** The stream whose dataset is generated before `ready` and whose ground truth is taken at start and finish. */
  truthOf?: StreamName;
  /** Send the matching ids themselves (not only their count). @default true */
  sendIds?: boolean;
}

export type SandboxChildMessage =
  | { kind: 'ready'; baseUrl: string; clientId: string; clientSecret: string; startCount: number; startIds: string[] }
  | { kind: 'finished'; endCount: number; endIds: string[]; calls: number; handleMs: number; byPath: Record<string, number> };

/**
 * A sandbox server in its own process (run with `node --import tsx`), so that neither its CPU nor its
 * memory counts as the client's. Ground truth is taken right before `ready` and on `finish`; the dataset
 * of `truthOf` is generated before `ready`, so no client pays for it.
 */
async function main(): Promise<void> {
  const send = (message: SandboxChildMessage): void => {
    process.send?.(message);
  };
  const config = JSON.parse(process.argv[2] ?? '{}') as SandboxChildConfig;
  const timer = sandboxTime();
  const sandbox = new FalconSandbox({ seed: config.seed, profile: config.profile, ...(config.sizes ? { sizes: config.sizes } : {}) });
  const truth = (): string[] => (config.truthOf ? [...sandbox.matchingIds(config.truthOf, '')] : []);
  const sent = (ids: string[]): string[] => (config.sendIds === false ? [] : ids);
  const startIds = truth();
  const server = await startSandboxServer({ sandbox });
  const handleBefore = timer.handleMs;
  process.once('message', () => {
    const { byPath } = sandbox.stats();
    const calls = Object.entries(byPath)
      .filter(([path]) => !path.startsWith('/oauth2/'))
      .reduce((sum, [, n]) => sum + n, 0);
    const endIds = truth();
    const finished: SandboxChildMessage = { kind: 'finished', endCount: endIds.length, endIds: sent(endIds), calls, handleMs: timer.handleMs - handleBefore, byPath };
    // The parent disconnects once it has the answer; with the server closed, nothing keeps this process alive.
    void server.close().finally(() => send(finished));
  });
  send({ kind: 'ready', baseUrl: server.baseUrl, ...sandbox.credentials, startCount: startIds.length, startIds: sent(startIds) });
}

main().catch((error: unknown) => {
  console.error(`sandbox child: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
