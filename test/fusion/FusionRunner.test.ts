import { describe, expect, it } from 'vitest';
import { evaluateCelCondition } from '../../fusion/celCondition.ts';
import { evaluateFqlCondition } from '../../fusion/fqlCondition.ts';
import { FusionRunner, type FunctionAction, type InvokeResult } from '../../fusion/FusionRunner.ts';
import { workflowSchema } from '../../fusion/WorkflowDefinition.ts';
import { resolveTemplate, WorkflowData } from '../../fusion/WorkflowData.ts';

const NEXT: FunctionAction = { functionName: 'fn', handlerName: 'next', method: 'POST', path: '/next', outputFields: ['next', 'count'] };

/** A function that counts down; it leaves `next` out on the last call, as the Anomali sample does. */
function countdown(from: number) {
  let left = from;
  const bodies: Array<Record<string, unknown>> = [];
  return {
    bodies,
    host: {
      functionAction: (id: string) => (id === 'functions.fn.next' ? NEXT : null),
      nowMs: () => 0,
      invoke: (_action: FunctionAction, body: Record<string, unknown>): Promise<InvokeResult> => {
        bodies.push(body);
        left--;
        return Promise.resolve({ code: 200, body: left > 0 ? { next: `n${left}`, count: left } : { count: 0 }, errors: [] });
      },
    },
  };
}

function workflow(loopFor: Record<string, unknown>, loopActions: Record<string, unknown> = {}, conditions: Record<string, unknown> = {}) {
  return workflowSchema.parse({
    name: 'test',
    trigger: { next: ['Create'] },
    actions: {
      Create: { id: '702d15788dbbffdf0b68d8e2f3599aa4', class: 'CreateVariable', next: ['First'], properties: { variable_schema: { type: 'object', properties: { next: { type: 'string' } } } } },
      First: { id: 'functions.fn.next', next: ['Track'], properties: {} },
      Track: { id: '6c6eab39063fa3b72d98c82af60deb8a', class: 'UpdateVariable', next: ['Loop'], properties: { WorkflowCustomVariable: { next: "${data['First.FaaS.fn.next.next']}" } } },
    },
    loops: {
      Loop: {
        for: { input: '', sequential: true, ...loopFor },
        trigger: { next: ['Again'] },
        actions: {
          Again: { id: 'functions.fn.next', next: ['TrackAgain'], properties: { next: "${data['WorkflowCustomVariable.next']}" } },
          TrackAgain: { id: '6c6eab39063fa3b72d98c82af60deb8a', class: 'UpdateVariable', properties: { WorkflowCustomVariable: { next: "${data['Again.FaaS.fn.next.next']}" } }, ...loopActions },
        },
        conditions,
      },
    },
  });
}

describe('FusionRunner', () => {
  it('hands an output field the function left out to the next step as "0", so a !null-only loop never ends', async () => {
    const fn = countdown(3);
    const runner = new FusionRunner(workflow({ condition: 'WorkflowCustomVariable.next:!null', max_iteration_count: 10, max_execution_seconds: 60 }), fn.host);
    const result = await runner.execute({ executionId: 'e', inputs: {} });
    // After the last page `next` reads "0", which is not null: the loop runs on into its cap.
    expect(result.cappedLoops).toEqual(['Loop']);
    expect(result.loopIterations).toBe(10);
    expect(fn.bodies.slice(3).every((b) => b['next'] === '0')).toBe(true);
  });

  it("ends the loop when the condition also excludes '0', as the samples' gotcha advice says", async () => {
    const fn = countdown(3);
    const runner = new FusionRunner(workflow({ condition: "WorkflowCustomVariable.next:!null+WorkflowCustomVariable.next:!'0'", max_iteration_count: 10, max_execution_seconds: 60 }), fn.host);
    const result = await runner.execute({ executionId: 'e', inputs: {} });
    expect(result.status).toEqual({ kind: 'completed' });
    expect(result.cappedLoops).toEqual([]);
    expect(fn.bodies).toHaveLength(3);
    expect(fn.bodies.map((b) => b['next'])).toEqual([undefined, 'n2', 'n1']);
  });

  it('Break leaves its loop', async () => {
    // The Break action lives in the loop's actions under the condition.
    const wf = workflow({ cel_condition: "data['WorkflowCustomVariable.next'] != null", max_iteration_count: 50, max_execution_seconds: 60 }, { next: ['Stop'] }, { Stop: { next: ['Break'], expression: 'Loop.Iteration:>=4' } });
    wf.loops['Loop']!.actions['Break'] = { id: '08277433694a898fee7a993d614d9836', class: 'Break', next: [], properties: { sub_model_node_id: 'Loop' } };
    const result = await new FusionRunner(wf, countdown(100).host).execute({ executionId: 'e', inputs: {} });
    expect(result.status).toEqual({ kind: 'completed' });
    // Loop.Iteration counts the iterations already done (0 in the first; UNVERIFIED on the platform): it reads 4 in the fifth.
    expect(result.loopIterations).toBe(5);
    expect(result.steps.some((s) => s.kind === 'break')).toBe(true);
  });

  it('fails the execution on a reference no step produced, naming it', async () => {
    const wf = workflow({ condition: "WorkflowCustomVariable.next:'x'", max_iteration_count: 1, max_execution_seconds: 60 });
    wf.actions['First']!.properties = { next: "${data['Nowhere.FaaS.fn.next.next']}" };
    const result = await new FusionRunner(wf, countdown(2).host).execute({ executionId: 'e', inputs: {} });
    expect(result.status).toMatchObject({ kind: 'failed', node: 'First' });
    expect(result.status.kind === 'failed' && result.status.message).toMatch(/Nowhere\.FaaS\.fn\.next\.next/);
  });

  it('fails a function action that answers an error', async () => {
    const wf = workflow({ condition: "WorkflowCustomVariable.next:'x'", max_iteration_count: 1, max_execution_seconds: 60 });
    const host = { ...countdown(2).host, invoke: () => Promise.resolve({ code: 400, body: {}, errors: [{ code: 400, message: 'bad stream (field: stream)' }] }) };
    const result = await new FusionRunner(wf, host).execute({ executionId: 'e', inputs: {} });
    expect(result.status).toMatchObject({ kind: 'failed', node: 'First' });
    expect(result.status.kind === 'failed' && result.status.message).toMatch(/400: bad stream/);
  });
});

describe('conditions and templates', () => {
  const data = new WorkflowData();
  data.set('a.has_more', 'true');
  data.set('a.count', 3);
  data.set('a.items', [1, 2]);
  data.set('Loop.Iteration', 2);

  it('FQL-style terms joined with +', () => {
    expect(evaluateFqlCondition("a.has_more:'true'+a.count:>2", data)).toEqual({ ok: true, value: true });
    expect(evaluateFqlCondition("a.has_more:!'true'", data)).toEqual({ ok: true, value: false });
    expect(evaluateFqlCondition('a.missing:null+Loop.Iteration:<3', data)).toEqual({ ok: true, value: true });
    expect(evaluateFqlCondition('a.count:~3', data).ok).toBe(false);
  });

  it('the CEL subset', () => {
    expect(evaluateCelCondition("data['a.has_more'] == 'true' && size(data['a.items']) > 1", data)).toEqual({ ok: true, value: true });
    expect(evaluateCelCondition("!(data['a.count'] < 3) || data['a.missing'] != null", data)).toEqual({ ok: true, value: true });
    expect(evaluateCelCondition("data['a.count'] + 1", data).ok).toBe(false);
    expect(evaluateCelCondition("data['a.count']", data).ok).toBe(false);
  });

  it('a whole-value reference keeps its type; embedded ones interpolate', () => {
    expect(resolveTemplate("${data['a.items']}", data, {})).toEqual({ ok: true, value: [1, 2] });
    expect(resolveTemplate('count ${a.count}', data, {})).toEqual({ ok: true, value: 'count 3' });
    expect(resolveTemplate('${{FOUNDRY_APP_ID}}', data, { FOUNDRY_APP_ID: 'app' })).toEqual({ ok: true, value: 'app' });
  });
});
