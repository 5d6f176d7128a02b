import type { StreamSpec } from '../../functions/falcon/streams.ts';
import type { StreamName } from '../../functions/falcon/streams.ts';
import type { AfterContexts } from '../cursors/AfterContexts.ts';
import type { ScrollStore } from '../cursors/ScrollStore.ts';
import type { Dataset } from '../datasets/Dataset.ts';
import type { FaultKnobs } from '../profiles.ts';
import type { Random } from '../random.ts';
import type { ReplyContext } from '../replies.ts';

/** Server state shared by the endpoints across requests. */
export interface EndpointState {
  scrolls: ScrollStore;
  afterContexts: AfterContexts;
  /** Streams whose one sparse page (offset and intel styles, which keep no cursor state) has been served. */
  sparseFired: Set<StreamName>;
  /** Entity answers come back in arbitrary order (falcon-api.md §4.1). */
  shuffle: Random;
}

/** One authenticated request to a stream endpoint, with the dataset already brought to `reply.nowMs`. */
export interface EndpointContext {
  reply: ReplyContext;
  spec: StreamSpec;
  knobs: FaultKnobs;
  dataset: Dataset;
  url: URL;
  body: string | undefined;
  state: EndpointState;
}
