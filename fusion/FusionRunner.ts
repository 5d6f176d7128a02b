import { evaluateCelCondition } from './celCondition.ts';
import { evaluateFqlCondition, type ConditionResult } from './fqlCondition.ts';
import { PLATFORM_ACTIONS, type Scope, type WorkflowAction, type WorkflowDefinition, type WorkflowLoop } from './WorkflowDefinition.ts';
import { resolveTemplate, WorkflowData } from './WorkflowData.ts';

/** A handler the workflow can call as `functions.<function>.<handler>`, as the manifest declares it. */
export interface FunctionAction {
  functionName: string;
  handlerName: string;
  method: string;
  path: string;
  /** Top-level properties of the handler's response schema: the action's output fields. */
  outputFields: string[];
}

export interface InvokeResult {
  code: number;
  body: Record<string, unknown>;
  errors: Array<{ code: number; message: string }>;
}

export interface FusionHost {
  /** Looks up `functions.<function>.<handler>`; a string says why the handler cannot be called. */
  functionAction(actionId: string): FunctionAction | string | null;
  invoke(action: FunctionAction, body: Record<string, unknown>, executionId: string): Promise<InvokeResult>;
  nowMs(): number;
}

export type StepStatus = 'ok' | 'failed' | 'skipped';

export interface StepTrace {
  node: string;
  kind: 'action' | 'condition' | 'loop' | 'loop-iteration' | 'function' | 'variable' | 'print' | 'break';
  status: StepStatus;
  detail: string;
  atMs: number;
}

export type ExecutionStatus = { kind: 'completed' } | { kind: 'failed'; node: string; message: string };

export interface ExecutionResult {
  executionId: string;
  status: ExecutionStatus;
  steps: StepTrace[];
  data: WorkflowData;
  /** Every function action's response body, in order, with the action key. */
  calls: Array<{ node: string; action: FunctionAction; body: Record<string, unknown> }>;
  loopIterations: number;
  /** Loops that stopped at a cap while their condition still held. */
  cappedLoops: string[];
  printed: unknown[];
  /** `custom_json` of every Write to app log repo action: where our workflows deliver what they export. */
  logged: Array<Record<string, unknown>>;
}

export interface ExecuteOptions {
  executionId: string;
  inputs: Record<string, unknown>;
  constants?: Record<string, string>;
}

class ExecutionFailure extends Error {
  constructor(
    readonly node: string,
    message: string,
  ) {
    super(message);
  }
}

class BreakSignal extends Error {
  constructor(readonly loop: string) {
    super(`break ${loop}`);
  }
}

/**
 * Runs the subset of Fusion YAML our workflows use: on-demand and schedule triggers, function actions,
 * Create/Update variable, Print data, FQL-style and CEL conditions, while and for-each loops with their
 * caps, and Break. It keeps the platform's quirk that a declared output field the function left out
 * arrives as "0" (foundry-platform.md §3.5), so workflows are tested against it.
 */
export class FusionRunner {
  readonly #workflow: WorkflowDefinition;
  readonly #host: FusionHost;

  constructor(workflow: WorkflowDefinition, host: FusionHost) {
    this.#workflow = workflow;
    this.#host = host;
  }

  async execute(options: ExecuteOptions): Promise<ExecutionResult> {
    const data = new WorkflowData();
    for (const [name, value] of Object.entries(options.inputs)) data.set(name, value);
    data.set('Workflow.Execution.ID', options.executionId);
    data.set('Workflow.Definition.Name', this.#workflow.name);
    const result: ExecutionResult = {
      executionId: options.executionId,
      status: { kind: 'completed' },
      steps: [],
      data,
      calls: [],
      loopIterations: 0,
      cappedLoops: [],
      printed: [],
      logged: [],
    };
    const constants = { FOUNDRY_APP_ID: 'pagination-guard-local', ...options.constants };
    const scope: Scope = { actions: this.#workflow.actions, conditions: this.#workflow.conditions, loops: this.#workflow.loops };
    try {
      await this.#runNodes(this.#workflow.trigger.next, scope, result, constants, null);
    } catch (error) {
      if (error instanceof ExecutionFailure) {
        result.status = { kind: 'failed', node: error.node, message: error.message };
        this.#trace(result, error.node, 'action', 'failed', error.message);
      } else {
        throw error;
      }
    }
    return result;
  }

  async #runNodes(keys: string[], scope: Scope, result: ExecutionResult, constants: Record<string, string>, loopKey: string | null): Promise<void> {
    // Branches run one after another: our workflows never rely on parallel branches.
    for (const key of keys) await this.#runNode(key, scope, result, constants, loopKey);
  }

  async #runNode(key: string, scope: Scope, result: ExecutionResult, constants: Record<string, string>, loopKey: string | null): Promise<void> {
    const action = scope.actions[key];
    if (action !== undefined) {
      await this.#runAction(key, action, result, constants, loopKey);
      await this.#runNodes(action.next, scope, result, constants, loopKey);
      return;
    }
    const condition = scope.conditions[key];
    if (condition !== undefined) {
      const verdict: ConditionResult =
        condition.expression !== undefined ? evaluateFqlCondition(condition.expression, result.data) : evaluateCelCondition(condition.cel_expression ?? '', result.data);
      if (!verdict.ok) throw new ExecutionFailure(key, verdict.message);
      this.#trace(result, key, 'condition', 'ok', verdict.value ? 'true' : 'false');
      await this.#runNodes(verdict.value ? condition.next : condition.else, scope, result, constants, loopKey);
      return;
    }
    const loop = scope.loops[key];
    if (loop !== undefined) {
      await this.#runLoop(key, loop, result, constants);
      await this.#runNodes(loop.next, scope, result, constants, loopKey);
      return;
    }
    throw new ExecutionFailure(key, `"${key}" is not an action, condition or loop of this level`);
  }

  async #runAction(key: string, action: WorkflowAction, result: ExecutionResult, constants: Record<string, string>, loopKey: string | null): Promise<void> {
    const resolved = resolveTemplate(action.properties, result.data, constants);
    if (!resolved.ok) throw new ExecutionFailure(key, resolved.message);
    const properties = resolved.value as Record<string, unknown>;
    if (action.id.startsWith('functions.')) {
      const target = this.#host.functionAction(action.id);
      if (target === null) throw new ExecutionFailure(key, `${action.id} names no handler of the app's manifest`);
      if (typeof target === 'string') throw new ExecutionFailure(key, `${action.id} cannot be called: ${target}`);
      const response = await this.#host.invoke(target, properties, result.executionId);
      if (response.code < 200 || response.code >= 300) {
        throw new ExecutionFailure(key, `${action.id} answered ${response.code}: ${response.errors.map((e) => e.message).join('; ') || 'no message'}`);
      }
      const prefix = `${key}.FaaS.${target.functionName}.${target.handlerName.replace(/\s+/g, '')}`;
      for (const field of target.outputFields) {
        // The platform quirk: a declared output the function did not return reads as "0".
        result.data.set(`${prefix}.${field}`, field in response.body ? response.body[field] : '0');
      }
      result.calls.push({ node: key, action: target, body: response.body });
      this.#trace(result, key, 'function', 'ok', summarize(response.body));
      return;
    }
    switch (action.class ?? action.id) {
      case 'CreateVariable':
      case PLATFORM_ACTIONS.createVariable: {
        const schema = properties['variable_schema'] as { properties?: Record<string, unknown> } | undefined;
        const fields = Object.keys(schema?.properties ?? {});
        if (fields.length === 0) throw new ExecutionFailure(key, 'CreateVariable needs variable_schema.properties');
        this.#trace(result, key, 'variable', 'ok', `declared ${fields.join(', ')}`);
        return;
      }
      case 'UpdateVariable':
      case PLATFORM_ACTIONS.updateVariable: {
        const values = properties['WorkflowCustomVariable'];
        if (typeof values !== 'object' || values === null) throw new ExecutionFailure(key, 'UpdateVariable needs WorkflowCustomVariable: {field: value}');
        for (const [field, value] of Object.entries(values)) result.data.set(`WorkflowCustomVariable.${field}`, value);
        this.#trace(result, key, 'variable', 'ok', Object.entries(values).map(([f, v]) => `${f}=${short(v)}`).join(', '));
        return;
      }
      case 'Break':
      case PLATFORM_ACTIONS.breakLoop: {
        const target = properties['sub_model_node_id'];
        if (typeof target !== 'string' || target !== loopKey) throw new ExecutionFailure(key, `Break must name its enclosing loop "${loopKey ?? '(none)'}" in sub_model_node_id`);
        this.#trace(result, key, 'break', 'ok', target);
        throw new BreakSignal(target);
      }
      case PLATFORM_ACTIONS.writeToLogRepo: {
        const json = properties['custom_json'];
        if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ExecutionFailure(key, 'Write to app log repo needs custom_json: {...}');
        result.logged.push(json as Record<string, unknown>);
        this.#trace(result, key, 'print', 'ok', `logged ${Object.keys(json).join(', ')}`);
        return;
      }
      case PLATFORM_ACTIONS.printData: {
        result.printed.push(properties);
        this.#trace(result, key, 'print', 'ok', short(properties));
        return;
      }
      default:
        throw new ExecutionFailure(key, `the local runner does not implement action ${action.id}${action.class ? ` (${action.class})` : ''}`);
    }
  }

  async #runLoop(key: string, loop: WorkflowLoop, result: ExecutionResult, constants: Record<string, string>): Promise<void> {
    const spec = loop.for;
    const scope: Scope = { actions: loop.actions, conditions: loop.conditions, loops: {} };
    const startedMs = this.#host.nowMs();
    const maxIterations = spec.max_iteration_count ?? Number.POSITIVE_INFINITY;
    const maxMs = (spec.max_execution_seconds ?? Number.POSITIVE_INFINITY) * 1000;
    const input = spec.input === '' ? null : result.data.get(spec.input);
    if (input !== null && !Array.isArray(input)) throw new ExecutionFailure(key, `for-each input ${spec.input} is not a list`);
    const items: unknown[] | null = input;
    let iteration = 0;
    for (;;) {
      result.data.set('Loop.Iteration', iteration);
      if (items !== null) {
        if (iteration >= items.length) break;
        result.data.set(`${spec.input}.#`, items[iteration]);
      } else {
        const verdict =
          spec.condition !== undefined
            ? evaluateFqlCondition(spec.condition, result.data)
            : spec.cel_condition !== undefined
              ? evaluateCelCondition(spec.cel_condition, result.data)
              : { ok: false as const, message: 'a while loop needs condition or cel_condition' };
        if (!verdict.ok) throw new ExecutionFailure(key, verdict.message);
        if (!verdict.value) break;
      }
      if (iteration >= maxIterations || this.#host.nowMs() - startedMs >= maxMs) {
        result.cappedLoops.push(key);
        this.#trace(result, key, 'loop', 'ok', `stopped at its cap after ${iteration} iteration(s)`);
        return;
      }
      iteration++;
      result.loopIterations++;
      this.#trace(result, key, 'loop-iteration', 'ok', `iteration ${iteration}`);
      try {
        await this.#runNodes(loop.trigger.next, scope, result, constants, key);
      } catch (error) {
        if (error instanceof BreakSignal && error.loop === key) break;
        throw error;
      }
    }
    this.#trace(result, key, 'loop', 'ok', `ended after ${iteration} iteration(s)`);
  }

  #trace(result: ExecutionResult, node: string, kind: StepTrace['kind'], status: StepStatus, detail: string): void {
    result.steps.push({ node, kind, status, detail, atMs: this.#host.nowMs() });
  }
}

function short(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function summarize(body: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of ['verdict', 'item_count', 'has_more', 'found', 'enriched']) {
    const value = body[key];
    if (value === undefined) continue;
    parts.push(`${key}=${Array.isArray(value) ? value.length : short(value)}`);
  }
  return parts.join(' ');
}
