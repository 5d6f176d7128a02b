import { FalconSandbox } from '../sandbox/FalconSandbox.ts';

/**
 * Time spent inside the sandbox of this process: serving requests (`handle`, which also generates a
 * dataset on first use) and computing ground truth (`matchingIds`). Both are synchronous, so their wall
 * time is CPU time that belongs to the sandbox, not to the client being measured.
 */
export interface SandboxTime {
  handleMs: number;
  truthMs: number;
}

const total: SandboxTime = { handleMs: 0, truthMs: 0 };
let installed = false;

/** Wraps `FalconSandbox.prototype.handle` and `matchingIds` once per process; returns the running totals. */
export function sandboxTime(): Readonly<SandboxTime> {
  if (!installed) {
    installed = true;
    const handle = FalconSandbox.prototype.handle;
    const matchingIds = FalconSandbox.prototype.matchingIds;
    FalconSandbox.prototype.handle = function timedHandle(this: FalconSandbox, ...args: Parameters<typeof handle>) {
      const started = performance.now();
      try {
        return handle.apply(this, args);
      } finally {
        total.handleMs += performance.now() - started;
      }
    };
    FalconSandbox.prototype.matchingIds = function timedMatchingIds(this: FalconSandbox, ...args: Parameters<typeof matchingIds>) {
      const started = performance.now();
      try {
        return matchingIds.apply(this, args);
      } finally {
        total.truthMs += performance.now() - started;
      }
    };
  }
  return total;
}
