import type { StreamName } from '../falcon/streams.ts';
import type { Chain, CheckpointData, CheckpointKeys } from './Checkpoint.ts';
import type { HttpRequestSpec, RunResult } from './EngineCommand.ts';
import type { HealthRecord } from './HealthRecord.ts';

/** What a running page run waits for: the host's answer to its last command. */
export type AwaitPhase = 'await-http' | 'await-sleep' | 'await-emit' | 'await-auth';

export interface ResolvedInput {
  stream: StreamName;
  filter: string;
  runId: string;
  fields: string[] | null;
  apiOrigin: string | null;
  deadlineAtMs: number | null;
  maxPages: number | null;
  maxResponseBytes: number | null;
  pageLimit: number;
  maxRetries: number;
  maxRateLimitWaits: number;
  cursorTtlMs: number;
  requestTimeoutMs: number;
  checkpointKeys: CheckpointKeys;
}

/** The request in flight, kept so that a retry sends exactly the same thing. */
export interface Pending {
  purpose: 'page' | 'hydrate';
  request: HttpRequestSpec;
  attempt: number;
  authRefreshed: boolean;
  sentAtMs: number;
  /** Page requests: the offset and limit asked for, and whether a cursor token travelled with it. */
  offset: number;
  limit: number;
  withCursor: boolean;
  /** Offset pages after the first start one record early; that record must be this id. */
  overlapId: string | null;
}

/** Ids of one query page waiting for their entities. */
export interface Hydration {
  queue: string[];
  batch: string[];
  batchSize: number;
  collected: Array<Record<string, unknown>>;
  /** Ids an entities answer left out once and that were asked for again: left out twice, the page is re-listed. */
  retried: string[];
  /** What the query page said, applied once every entity is in. */
  page: PageFacts;
}

export interface PageFacts {
  returned: number;
  /** Records the request asked for (its limit, without an overlap record): fewer back is the data's own end signal. */
  asked: number;
  total: number | null;
  next: Chain['cursor'];
  /** Cursor styles: the API ended the chain (no token, empty token, or an empty page). */
  chainEnded: boolean;
  requestOffset: number;
  /**
   * Nothing can hide between this page and what the chain returned before: the first page of a chain,
   * an offset page whose overlap record matched, or an intel page reached through an explicit link.
   */
  adjacent: boolean;
  /** Offset pages: the last id returned, for the next page's overlap check. */
  lastId: string | null;
  /** Intel page without a `Next-Page` header: the engine continues with the `_marker` filter. */
  markerWithoutLink: boolean;
  /** The cursor was given up (a wait outlived it) while this page's entities were still arriving. */
  abandoned: boolean;
  /** Ids the page returned that sit on a range bound (exported already): not hydrated, but part of its coverage. */
  knownKeys: Array<{ value: string | number; id: string }>;
}

export interface RunState {
  startedAtMs: number;
  nowMs: number;
  pages: number;
  bytes: number;
  avgItemBytes: number | null;
  latencyEstimateMs: number;
  consecutiveRateLimits: number;
  barrenRestarts: number;
  /** Projected fields no record of this run has had so far. */
  absentFields: string[];
}

/** What a run that started carries, running or ended. */
export interface RunContext {
  input: ResolvedInput;
  cp: CheckpointData;
  run: RunState;
  health: HealthRecord;
  pending: Pending | null;
  hydration: Hydration | null;
  /** After a sleep or a re-authentication: send the pending request again, or decide afresh. */
  resume: 'pending' | 'next';
  slowDownMs: number;
  rngSeed: number;
  /** Where a run resumes when the page being emitted is not stored: the input's checkpoint, or the last page a host acknowledged. */
  ackedCheckpoint: string;
  /** The page handed to the host, until it says whether it was stored. */
  emitting: { checkpoint: string; items: number; dropped: number } | null;
}

/** A run waiting for the host's answer to its last command. */
export interface RunningState extends RunContext {
  phase: AwaitPhase;
  result: null;
}

/** A run that ended (complete, stopped on a budget, failed); any further event is a protocol failure. */
export interface EndedState extends RunContext {
  phase: 'done';
  result: RunResult;
}

/** A run that never started (bad input, a refused checkpoint, an event before start): nothing was requested, there is only the result. */
export interface RefusedState {
  phase: 'refused';
  result: RunResult;
  health: HealthRecord;
}

export type FinishedState = EndedState | RefusedState;

export type EngineState = RunningState | FinishedState;
