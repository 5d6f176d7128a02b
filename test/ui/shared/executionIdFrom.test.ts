import { describe, expect, it } from 'vitest';
import { executionIdFrom } from '../../../ui/shared/executionIdFrom.ts';

describe(executionIdFrom.name, () => {
  it('finds the id under each plausible key', () => {
    expect(executionIdFrom({ execution: { id: 'a' } })).toEqual({ kind: 'found', executionId: 'a', path: 'execution.id' });
    expect(executionIdFrom({ execution_id: 'b' })).toEqual({ kind: 'found', executionId: 'b', path: 'execution_id' });
    expect(executionIdFrom({ executionId: 'c' })).toEqual({ kind: 'found', executionId: 'c', path: 'executionId' });
    expect(executionIdFrom({ workflow_execution: { id: 'd' } })).toEqual({ kind: 'found', executionId: 'd', path: 'workflow_execution.id' });
  });

  it('prefers the entity object, like the detection sockets send', () => {
    expect(executionIdFrom({ execution_id: 'flat', execution: { id: 'nested' } })).toMatchObject({ executionId: 'nested' });
  });

  it('skips blank values and accepts numeric ids', () => {
    expect(executionIdFrom({ execution: { id: '  ' }, execution_id: 42 })).toEqual({ kind: 'found', executionId: '42', path: 'execution_id' });
  });

  it('says where it looked when there is no id', () => {
    for (const data of [undefined, null, {}, { execution: 'not-an-object' }, { theme: 'theme-dark' }]) {
      expect(executionIdFrom(data)).toEqual({
        kind: 'absent',
        looked: ['data.execution.id', 'data.execution_id', 'data.executionId', 'data.workflow_execution.id'],
      });
    }
  });
});
