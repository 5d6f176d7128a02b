import { sandboxTime } from './sandboxTimer.ts';

export interface Measured<T> {
  value: T;
  /** Wall time, minus the in-process sandbox's ground-truth bookkeeping. */
  wallMs: number;
  /** Process CPU time (user + system), minus every millisecond spent inside the in-process sandbox. */
  clientCpuMs: number;
  /** Time inside the in-process sandbox's `handle`. */
  sandboxMs: number;
}

/** Runs one export and separates the client's time from the sandbox's (when the sandbox is in this process). */
export async function measure<T>(run: () => Promise<T>): Promise<Measured<T>> {
  const sandbox = sandboxTime();
  const handleBefore = sandbox.handleMs;
  const truthBefore = sandbox.truthMs;
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const value = await run();
  const wall = performance.now() - wallBefore;
  const cpu = process.cpuUsage(cpuBefore);
  const handleMs = sandbox.handleMs - handleBefore;
  const truthMs = sandbox.truthMs - truthBefore;
  return {
    value,
    wallMs: Math.max(0, wall - truthMs),
    clientCpuMs: Math.max(0, (cpu.user + cpu.system) / 1000 - handleMs - truthMs),
    sandboxMs: handleMs,
  };
}
