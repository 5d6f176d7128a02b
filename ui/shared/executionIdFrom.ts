/**
 * Where the console might put the workflow execution id in `falcon.data` for the
 * `workflows.executions.execution.details` socket. UNVERIFIED: no sample or document shows this socket's
 * payload. The detection sockets pass an object named after the entity (`falcon.data.detection`), so
 * `execution.id` comes first; the flat spellings cover a console that sends the id alone.
 */
export const EXECUTION_ID_PATHS: ReadonlyArray<readonly string[]> = [
  ['execution', 'id'],
  ['execution_id'],
  ['executionId'],
  ['workflow_execution', 'id'],
];

export type ExecutionIdLookup = { kind: 'found'; executionId: string; path: string } | { kind: 'absent'; looked: string[] };

export function executionIdFrom(data: unknown): ExecutionIdLookup {
  for (const path of EXECUTION_ID_PATHS) {
    const value = path.reduce<unknown>((node, part) => (isRecord(node) ? node[part] : undefined), data);
    if (typeof value === 'string' && value.trim() !== '') return { kind: 'found', executionId: value.trim(), path: path.join('.') };
    if (typeof value === 'number' && Number.isFinite(value)) return { kind: 'found', executionId: String(value), path: path.join('.') };
  }
  return { kind: 'absent', looked: EXECUTION_ID_PATHS.map((p) => `data.${p.join('.')}`) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
