import FalconApi from '@crowdstrike/foundry-js';
import type { CollectionPort } from './RunStore.ts';

export type ConsoleConnection = { kind: 'connected'; falcon: FalconApi } | { kind: 'failed'; reason: string };

/**
 * Connects first thing: the console drops an extension that has not connected within about 5 s.
 * foundry-js applies `data.theme` (theme-light / theme-dark) to <html> on connect and on every data update.
 */
export async function connectToConsole(): Promise<ConsoleConnection> {
  const falcon = new FalconApi();
  try {
    await falcon.connect();
    return { kind: 'connected', falcon };
  } catch (error) {
    falcon.destroy();
    return { kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
}

export function collectionPort(falcon: FalconApi, collection: string): CollectionPort {
  const handle = falcon.collection({ collection });
  return {
    // foundry-js declares these as Promise<void>; the console answers a payload, validated by RunStore.
    search: (query) => handle.search(query) as Promise<unknown>,
    read: (key) => handle.read(key) as Promise<unknown>,
  };
}
