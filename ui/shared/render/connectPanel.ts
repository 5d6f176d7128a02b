import type FalconApi from '@crowdstrike/foundry-js';
import { connectToConsole } from '../connectToConsole.ts';
import type { Panel } from './Panel.ts';
import { renderNotice } from './renderNotice.ts';

/**
 * Connects to the console while the panel says so; on failure the panel shows foundry-js's reason and
 * `whereToOpen`, the place in the console the view works from, and the result is null.
 */
export async function connectPanel(panel: Panel, whereToOpen: string): Promise<FalconApi | null> {
  panel.show('loading', renderNotice('loading', 'Connecting to the Falcon console…'));
  const connection = await connectToConsole();
  if (connection.kind === 'connected') return connection.falcon;
  panel.show('error', renderNotice('error', 'Could not connect to the Falcon console.', [`foundry-js said: ${connection.reason}`, whereToOpen]));
  return null;
}
