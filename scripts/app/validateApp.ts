import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { STREAM_NAMES, STREAMS } from '../../functions/falcon/streams.ts';
import { FUNCTION_LIMITS, type HandlerEntry } from '../../functions/handlers/functionMachine.ts';
import { KEYS_COLLECTION } from '../../functions/storage/SigningKeys.ts';
import { FUNCTION_BUNDLE_PATH } from '../engineBundle.ts';
import { PLATFORM_ACTIONS, type Scope, type WorkflowDefinition } from '../../fusion/WorkflowDefinition.ts';
import { dataPathOf } from '../../fusion/WorkflowData.ts';
import { loadManifest, loadWorkflow } from '../../fusion/loadApp.ts';
import type { Manifest } from '../../fusion/manifestSchema.ts';
import { schemaExamples } from './schemaExamples.ts';

export interface Finding {
  level: 'error' | 'warning';
  file: string;
  path: string;
  message: string;
}

/** Every UI source and built file, where a reference to the key collection would be a leak. */
function uiSources(root: string): string[] {
  const walk = (dir: string): string[] =>
    existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : /\.(ts|js|html)$/.test(e.name) ? [join(dir, e.name)] : [])) : [];
  return walk(join(root, 'ui'));
}

/** The files a Python function on the FDK needs (foundry-platform.md, addendum), and the routes its main.py registers. */
function pythonFunctionFindings(root: string, path: string, where: string, error: (file: string, path: string, message: string) => void): Array<{ method: string; path: string }> {
  const dir = join(root, path);
  for (const file of ['main.py', 'requirements.txt']) if (!existsSync(join(dir, file))) error('manifest.yml', where, `${path}/${file} does not exist; a Python function needs it`);
  if (!existsSync(join(root, FUNCTION_BUNDLE_PATH))) error('manifest.yml', where, `${FUNCTION_BUNDLE_PATH} does not exist; run npm run build`);
  const requirements = existsSync(join(dir, 'requirements.txt')) ? readFileSync(join(dir, 'requirements.txt'), 'utf8') : '';
  for (const line of requirements.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))) {
    if (!/^[A-Za-z0-9_.-]+==[A-Za-z0-9_.]+$/.test(line)) error(`${path}/requirements.txt`, line, 'must pin an exact version (name==version): the deployed function must get the wheels that were tested');
  }
  const main = existsSync(join(dir, 'main.py')) ? readFileSync(join(dir, 'main.py'), 'utf8') : '';
  if (main !== '' && !/Function\.instance\(\)/.test(main)) error(`${path}/main.py`, '(file)', 'does not create the FDK function with Function.instance()');
  return [...main.matchAll(/@func\.handler\(\s*method\s*=\s*'([A-Z]+)'\s*,\s*path\s*=\s*'([^']+)'\s*\)/g)].map((m) => ({ method: m[1] as string, path: m[2] as string }));
}

/** Scopes the handlers need beyond the streams: custom storage for checkpoints and run health. */
const STORAGE_SCOPES = ['custom-storage:read', 'custom-storage:write'];
/** The LogScale sink ingests into the app repository (FalconPy IngestDataV1: app-logs:write); nothing in the app reads it. */
const LOGSCALE_SCOPES = ['app-logs:write'];
/** Foundry allows at most this many indexed fields per collection (foundry-platform.md §4). */
const MAX_INDEXED_FIELDS = 10;

/**
 * Everything `foundry apps deploy` would trip over, checked locally: the manifest model, every file it
 * names, draft-07 schemas, handler schemas against the handlers' own validation, and the workflows
 * (action ids, variables created before use, data references, loop caps, the "0" gotcha).
 */
export function validateApp(root: string, handlers: readonly HandlerEntry[]): Finding[] {
  const findings: Finding[] = [];
  const error = (file: string, path: string, message: string) => findings.push({ level: 'error', file, path, message });
  const loaded = loadManifest(root);
  if (!loaded.ok) {
    error('manifest.yml', '(root)', loaded.message);
    return findings;
  }
  const manifest = loaded.value;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const compile = (file: string): { schema: Record<string, unknown>; validate: ValidateFunction } | null => {
    const full = join(root, file);
    if (!existsSync(full)) {
      error(file, '(file)', 'does not exist; create it or fix the path in manifest.yml');
      return null;
    }
    let schema: Record<string, unknown>;
    try {
      schema = JSON.parse(readFileSync(full, 'utf8')) as Record<string, unknown>;
    } catch (cause) {
      error(file, '(file)', `is not JSON: ${cause instanceof Error ? cause.message : String(cause)}`);
      return null;
    }
    if (schema['$schema'] !== 'http://json-schema.org/draft-07/schema#') error(file, '$schema', 'must be "http://json-schema.org/draft-07/schema#": Foundry reads draft-07');
    try {
      return { schema, validate: ajv.compile(schema) };
    } catch (cause) {
      error(file, '(schema)', `is not a valid JSON Schema: ${cause instanceof Error ? cause.message : String(cause)}`);
      return null;
    }
  };

  // Collections: valid schemas, indexed fields that exist.
  for (const collection of manifest.collections) {
    const compiled = compile(collection.schema);
    if (compiled === null) continue;
    const indexed = (compiled.schema['x-cs-indexable-fields'] ?? []) as Array<{ field?: string }>;
    if (indexed.length > MAX_INDEXED_FIELDS) error(collection.schema, 'x-cs-indexable-fields', `has ${indexed.length} fields; Foundry indexes at most ${MAX_INDEXED_FIELDS}`);
    const properties = (compiled.schema['properties'] ?? {}) as Record<string, unknown>;
    for (const [i, entry] of indexed.entries()) {
      const name = entry.field?.replace(/^\//, '') ?? '';
      if (!(name in properties)) error(collection.schema, `x-cs-indexable-fields.${i}`, `indexes "${entry.field}", which is not a property of the schema`);
    }
  }

  // The signing keys: a collection only the function reads (a permission no role grants, no workflow action, no UI read).
  const keys = manifest.collections.find((c) => c.name === KEYS_COLLECTION);
  if (keys === undefined) error('manifest.yml', 'collections', `has no ${KEYS_COLLECTION} collection; the page-run function keeps its checkpoint signing keys there`);
  else {
    if (keys.permissions.length === 0) error('manifest.yml', `collections.${KEYS_COLLECTION}.permissions`, 'is empty, so every user of the app could read the signing keys; require a permission no role grants');
    if (keys.workflow_integration !== null) error('manifest.yml', `collections.${KEYS_COLLECTION}.workflow_integration`, 'must be null: a workflow action would hand the keys to anyone who can edit workflows');
    for (const permission of keys.permissions) {
      if (!(permission in manifest.auth.permissions)) error('manifest.yml', `collections.${KEYS_COLLECTION}.permissions`, `names ${permission}, which auth.permissions does not declare`);
      const roles = manifest.auth.roles as Array<{ permissions?: unknown }>;
      if (roles.some((role) => Array.isArray(role.permissions) && role.permissions.includes(permission))) {
        error('manifest.yml', 'auth.roles', `grant ${permission}, which guards the signing keys; no role may hold it`);
      }
    }
    for (const file of uiSources(root)) if (readFileSync(file, 'utf8').includes(KEYS_COLLECTION)) error(file.slice(root.length + 1), '(file)', `reads ${KEYS_COLLECTION}; the UI must never touch the signing keys`);
  }

  // Saved searches: the query file exists, and every ?parameter it reads is declared (and in the input schema).
  for (const [si, search] of manifest.logscale.saved_searches.entries()) {
    const where = `logscale.saved_searches.${si}`;
    const queryFile = join(root, search.query_path);
    if (!existsSync(queryFile)) {
      error('manifest.yml', `${where}.query_path`, `${search.query_path} does not exist`);
      continue;
    }
    const used = new Set([...readFileSync(queryFile, 'utf8').matchAll(/\?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string));
    for (const name of used) if (!(name in search.query_params)) error('manifest.yml', `${where}.query_params`, `lacks ${name}, which ${search.query_path} reads as ?${name}`);
    for (const name of Object.keys(search.query_params)) if (!used.has(name)) error('manifest.yml', `${where}.query_params.${name}`, `is not read by ${search.query_path}`);
    if (search.input_schema_path !== undefined) {
      const compiled = compile(search.input_schema_path);
      const declared = compiled === null ? new Set<string>() : fieldsOf(compiled.schema).all;
      for (const name of Object.keys(search.query_params)) if (!declared.has(name)) error(search.input_schema_path, 'properties', `lacks ${name}, a parameter of ${search.name}`);
    } else if (used.size > 0) error('manifest.yml', `${where}.input_schema_path`, `is missing; ${search.query_path} takes parameters`);
  }

  // Functions: folder, schemas, handlers that exist in code and agree with their schemas.
  const responseFields = new Map<string, { required: Set<string>; all: Set<string> }>();
  const requestFields = new Map<string, { required: Set<string>; all: Set<string> }>();
  for (const [fi, fn] of manifest.functions.entries()) {
    const dir = join(root, fn.path);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      error('manifest.yml', `functions.${fi}.path`, `${fn.path} is not a folder`);
      continue;
    }
    const registered = pythonFunctionFindings(root, fn.path, `functions.${fi}`, error);
    for (const route of registered) {
      if (!fn.handlers.some((h) => h.api_path === route.path && h.method === route.method)) error(`${fn.path}/main.py`, route.path, `registers ${route.method} ${route.path}, which manifest.yml does not declare`);
    }
    if (fn.max_exec_duration_seconds !== FUNCTION_LIMITS.maxExecDurationSeconds) {
      error('manifest.yml', `functions.${fi}.max_exec_duration_seconds`, `is ${fn.max_exec_duration_seconds}, but the function machine plans its deadline for ${FUNCTION_LIMITS.maxExecDurationSeconds} s (FUNCTION_LIMITS); change both together`);
    }
    for (const [hi, handler] of fn.handlers.entries()) {
      const where = `functions.${fi}.handlers.${hi}`;
      const actionId = `functions.${fn.name}.${handler.name}`;
      if (handler.workflow_integration === null) error('manifest.yml', where, 'has no workflow_integration, so workflows cannot call it (deploy fails with "does not have workflow_integration properties defined")');
      const code = handlers.find((h) => h.path === handler.api_path);
      if (!registered.some((r) => r.path === handler.api_path && r.method === handler.method)) error('manifest.yml', `${where}.api_path`, `${handler.method} ${handler.api_path} is not registered in ${fn.path}/main.py (@func.handler)`);
      if (code === undefined) error('manifest.yml', `${where}.api_path`, `${handler.api_path} has no handler in the function's code`);
      else if (code.name !== handler.name) error('manifest.yml', `${where}.name`, `the code names the ${handler.api_path} handler "${code.name}"`);
      if (handler.request_schema !== null) {
        const file = join(fn.path, handler.request_schema);
        const compiled = compile(file);
        if (compiled !== null) {
          requestFields.set(actionId, fieldsOf(compiled.schema));
          if (code !== undefined) {
            for (const example of schemaExamples(compiled.schema)) {
              const bySchema = compiled.validate(example.value) === true;
              const byCode = code.requestSchema.safeParse(example.value).success;
              if (bySchema !== byCode) {
                error(file, example.label, `the schema ${bySchema ? 'accepts' : 'refuses'} ${JSON.stringify(example.value).slice(0, 120)} but the handler ${byCode ? 'accepts' : 'refuses'} it; make them agree`);
              }
            }
          }
        }
      }
      if (handler.response_schema !== null) {
        const compiled = compile(join(fn.path, handler.response_schema));
        if (compiled !== null) responseFields.set(actionId, fieldsOf(compiled.schema));
      }
    }
  }

  // UI: built output where the manifest says.
  const uiEntries = [
    ...manifest.ui.extensions.map((e, i) => ({ where: `ui.extensions.${i}`, path: e.path, entrypoint: e.entrypoint })),
    ...Object.entries(manifest.ui.pages).map(([key, p]) => ({ where: `ui.pages.${key}`, path: p.path, entrypoint: p.entrypoint })),
  ];
  for (const entry of uiEntries) {
    if (!existsSync(join(root, entry.entrypoint))) error('manifest.yml', `${entry.where}.entrypoint`, `${entry.entrypoint} does not exist; run npm run build:ui`);
    if (!entry.entrypoint.startsWith(`${entry.path}/`)) error('manifest.yml', `${entry.where}.entrypoint`, `must lie inside path ${entry.path}`);
  }
  const pageRef = manifest.ui.homepage.replace(/^pages\./, '');
  if (manifest.ui.homepage !== '' && !(pageRef in manifest.ui.pages)) error('manifest.yml', 'ui.homepage', `${manifest.ui.homepage} names no page`);

  // Scopes: least privilege that still covers every stream and the collections.
  const needed = new Set([...STREAM_NAMES.map((name) => STREAMS[name].scopeId), ...STORAGE_SCOPES, ...LOGSCALE_SCOPES]);
  for (const scope of needed) if (!manifest.auth.scopes.includes(scope)) error('manifest.yml', 'auth.scopes', `misses ${scope}, which the page-run function needs`);
  for (const scope of manifest.auth.scopes) if (!needed.has(scope)) error('manifest.yml', 'auth.scopes', `asks for ${scope}, which nothing in the app uses; drop it (least privilege)`);

  // Workflows.
  const listed = new Set(manifest.workflows.map((w) => w.path));
  for (const file of existsSync(join(root, 'workflows')) ? readdirSync(join(root, 'workflows')) : []) {
    if (file.endsWith('.yml') && !listed.has(`workflows/${file}`)) error(`workflows/${file}`, '(file)', 'is not listed under workflows in manifest.yml');
  }
  for (const [wi, entry] of manifest.workflows.entries()) {
    if (!existsSync(join(root, entry.path))) {
      error('manifest.yml', `workflows.${wi}.path`, `${entry.path} does not exist`);
      continue;
    }
    const workflow = loadWorkflow(join(root, entry.path));
    if (!workflow.ok) {
      error(entry.path, '(root)', workflow.message);
      continue;
    }
    if (workflow.value.name !== entry.name) error(entry.path, 'name', `is "${workflow.value.name}" but manifest.yml lists "${entry.name}"`);
    findings.push(...validateWorkflow(entry.path, workflow.value, manifest, requestFields, responseFields));
  }
  return findings;
}

function fieldsOf(schema: Record<string, unknown>): { required: Set<string>; all: Set<string> } {
  return { required: new Set((schema['required'] ?? []) as string[]), all: new Set(Object.keys((schema['properties'] ?? {}) as object)) };
}

type Fields = Map<string, { required: Set<string>; all: Set<string> }>;

function validateWorkflow(file: string, workflow: WorkflowDefinition, manifest: Manifest, requestFields: Fields, responseFields: Fields): Finding[] {
  const findings: Finding[] = [];
  const error = (path: string, message: string) => findings.push({ level: 'error', file, path, message });
  const top: Scope = { actions: workflow.actions, conditions: workflow.conditions, loops: workflow.loops };
  const scopes: Array<{ name: string; scope: Scope; entry: string[]; loopKey: string | null }> = [{ name: '(workflow)', scope: top, entry: workflow.trigger.next, loopKey: null }];
  for (const [key, loop] of Object.entries(workflow.loops)) {
    scopes.push({ name: `loops.${key}`, scope: { actions: loop.actions, conditions: loop.conditions, loops: {} }, entry: loop.trigger.next, loopKey: key });
    if (loop.for.input === '') {
      if (loop.for.max_iteration_count === undefined) error(`loops.${key}.for`, 'a while loop needs max_iteration_count');
      if (loop.for.max_execution_seconds === undefined) error(`loops.${key}.for`, 'a while loop needs max_execution_seconds');
      if (loop.for.sequential !== true) error(`loops.${key}.for.sequential`, 'pagination loops must be sequential: each run needs the previous checkpoint');
    }
  }

  const inputs = new Set(Object.keys(((workflow.trigger.parameters ?? {}) as { properties?: object }).properties ?? {}));
  // The graph of nodes (loop bodies as `<loop>/<node>`), to check that what a node reads is made before it.
  const nodeId = (loopKey: string | null, key: string) => (loopKey === null ? key : `${loopKey}/${key}`);
  const successors = new Map<string, string[]>();
  const link = (from: string, to: string) => successors.set(from, [...(successors.get(from) ?? []), to]);
  const declares = new Map<string, string[]>();
  const functionActions = new Map<string, { id: string; node: string }>();
  const addScope = (loopKey: string | null, scope: Scope) => {
    for (const [key, action] of Object.entries(scope.actions)) {
      for (const next of action.next) link(nodeId(loopKey, key), nodeId(loopKey, next));
      if (action.class === 'CreateVariable' || action.id === PLATFORM_ACTIONS.createVariable) {
        const schema = action.properties['variable_schema'] as { properties?: object } | undefined;
        declares.set(nodeId(loopKey, key), Object.keys(schema?.properties ?? {}));
      }
      if (action.id.startsWith('functions.')) functionActions.set(key, { id: action.id, node: nodeId(loopKey, key) });
    }
    for (const [key, condition] of Object.entries(scope.conditions)) {
      for (const next of [...condition.next, ...condition.else]) link(nodeId(loopKey, key), nodeId(loopKey, next));
    }
  };
  addScope(null, top);
  for (const [key, loop] of Object.entries(workflow.loops)) {
    addScope(key, { actions: loop.actions, conditions: loop.conditions, loops: {} });
    for (const entry of loop.trigger.next) link(key, nodeId(key, entry));
    // Every body node runs again in the next iteration, and the loop's successors run after the body.
    for (const bodyNode of [...Object.keys(loop.actions), ...Object.keys(loop.conditions)]) link(nodeId(key, bodyNode), key);
    for (const next of loop.next) link(key, next);
  }
  const reachable = (from: string): Set<string> => {
    const seen = new Set<string>();
    const queue = [...(successors.get(from) ?? [])];
    for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
      if (seen.has(node)) continue;
      seen.add(node);
      queue.push(...(successors.get(node) ?? []));
    }
    return seen;
  };
  const reach = new Map<string, Set<string>>();
  const reaches = (from: string, to: string) => {
    if (!reach.has(from)) reach.set(from, reachable(from));
    return reach.get(from)?.has(to) ?? false;
  };
  const known = new Set(manifest.functions.flatMap((f) => f.handlers.map((h) => `functions.${f.name}.${h.name}`)));

  const checkPath = (where: string, node: string, path: string, forCondition: boolean) => {
    if (path === 'Loop.Iteration' || path.startsWith('Workflow.')) return;
    if (path.startsWith('WorkflowCustomVariable.')) {
      const name = path.slice('WorkflowCustomVariable.'.length);
      const creators = [...declares].filter(([, names]) => names.includes(name)).map(([creator]) => creator);
      if (creators.length === 0) error(where, `uses variable ${name}, which no CreateVariable declares`);
      else if (!creators.some((creator) => reaches(creator, node))) error(where, `uses variable ${name} before the CreateVariable that declares it (${creators.join(', ')}) has run`);
      return;
    }
    const faas = /^([^.]+)\.FaaS\.([^.]+)\.([^.]+)\.(.+)$/.exec(path);
    if (faas !== null) {
      const [, actionKey = '', , , field = ''] = faas;
      const action = functionActions.get(actionKey);
      if (action === undefined) {
        error(where, `reads ${path}, but ${actionKey} is not a function action of this workflow`);
        return;
      }
      if (!reaches(action.node, node)) error(where, `reads ${path} where ${actionKey} has not run yet; move the step after ${actionKey}`);
      const actionId = action.id;
      const target = responseFields.get(actionId);
      const [fnName = '', handlerName = ''] = actionId.split('.').slice(1);
      if (`${actionKey}.FaaS.${fnName}.${handlerName.replace(/\s+/g, '')}.${field}` !== path) error(where, `should read ${actionKey}.FaaS.${fnName}.${handlerName.replace(/\s+/g, '')}.${field}`);
      if (target !== undefined && !target.all.has(field)) error(where, `reads ${field}, which ${actionId}'s response schema does not declare`);
      if (forCondition && target !== undefined && !target.required.has(field)) {
        error(where, `a condition reads ${field}, which ${actionId} may leave out; Fusion then passes "0" (make it required in the response schema)`);
      }
      return;
    }
    if (path.endsWith('.#')) return;
    if (!inputs.has(path)) error(where, `reads ${path}, which is no trigger input, variable or action output`);
  };
  const walk = (where: string, node: string, value: unknown) => {
    if (typeof value === 'string') {
      for (const match of value.matchAll(/\$\{([^{}]+)\}/g)) checkPath(where, node, dataPathOf(match[1] ?? ''), false);
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(`${where}.${i}`, node, v));
    else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) walk(`${where}.${k}`, node, v);
  };
  const conditionPaths = (expression: string): string[] => {
    const fql = expression.split('+').map((t) => /^([A-Za-z_][\w.-]*):/.exec(t.trim())?.[1]).filter((p): p is string => p !== undefined);
    const cel = [...expression.matchAll(/data\[\s*'([^']+)'\s*\]/g)].map((m) => m[1] ?? '');
    return expression.includes("data['") ? cel : fql;
  };

  for (const { name, scope, entry, loopKey } of scopes) {
    const keys = new Set([...Object.keys(scope.actions), ...Object.keys(scope.conditions), ...Object.keys(scope.loops)]);
    const nextCheck = (where: string, next: string[]) => {
      for (const key of next) if (!keys.has(key)) error(where, `goes to ${key}, which is not a node of ${name}`);
    };
    nextCheck(name === '(workflow)' ? 'trigger.next' : `${name}.trigger.next`, entry);
    const prefix = name === '(workflow)' ? '' : `${name}.`;
    for (const [key, action] of Object.entries(scope.actions)) {
      const where = `${prefix}actions.${key}`;
      nextCheck(`${where}.next`, action.next);
      walk(`${where}.properties`, nodeId(loopKey, key), action.properties);
      if (action.id.startsWith('functions.')) {
        if (!known.has(action.id)) error(`${where}.id`, `${action.id} is no handler of manifest.yml (functions.<function>.<handler>)`);
        const request = requestFields.get(action.id);
        if (request !== undefined) {
          for (const property of Object.keys(action.properties)) if (!request.all.has(property)) error(`${where}.properties.${property}`, `is not a property of ${action.id}'s request schema`);
          for (const property of request.required) if (!(property in action.properties)) error(`${where}.properties`, `misses ${property}, which ${action.id} requires`);
        }
      }
    }
    for (const [key, condition] of Object.entries(scope.conditions)) {
      const where = `${prefix}conditions.${key}`;
      nextCheck(`${where}.next`, condition.next);
      nextCheck(`${where}.else`, condition.else);
      for (const path of conditionPaths(condition.expression ?? condition.cel_expression ?? '')) checkPath(where, nodeId(loopKey, key), path, true);
    }
  }
  for (const [key, loop] of Object.entries(workflow.loops)) {
    const keys = new Set([...Object.keys(top.actions), ...Object.keys(top.conditions), ...Object.keys(top.loops)]);
    for (const next of loop.next) if (!keys.has(next)) error(`loops.${key}.next`, `goes to ${next}, which is not a node of the workflow`);
    const condition = loop.for.condition ?? loop.for.cel_condition;
    if (loop.for.input === '' && condition === undefined) error(`loops.${key}.for`, 'a while loop needs condition or cel_condition');
    if (condition !== undefined) for (const path of conditionPaths(condition)) checkPath(`loops.${key}.for.condition`, key, path, true);
    if (loop.for.input !== '') checkPath(`loops.${key}.for.input`, key, loop.for.input, false);
  }
  return findings;
}
