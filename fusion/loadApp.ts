import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { FunctionAction } from './FusionRunner.ts';
import { workflowSchema, type WorkflowDefinition } from './WorkflowDefinition.ts';
import { manifestSchema, type Manifest } from './manifestSchema.ts';

export type Loaded<T> = { ok: true; value: T } | { ok: false; message: string };

export function readYaml(path: string): Loaded<unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { ok: false, message: `${path}: cannot be read (${error instanceof Error ? error.message : String(error)})` };
  }
  try {
    return { ok: true, value: parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `${path}: is not valid YAML (${error instanceof Error ? error.message : String(error)})` };
  }
}

function issues(path: string, error: { issues: Array<{ path: (string | number)[]; message: string }> }): string {
  return error.issues.map((i) => `${path}: ${i.path.length === 0 ? '(root)' : i.path.join('.')}: ${i.message}`).join('\n');
}

export function loadManifest(root: string): Loaded<Manifest> {
  const path = join(root, 'manifest.yml');
  const raw = readYaml(path);
  if (!raw.ok) return raw;
  const parsed = manifestSchema.safeParse(raw.value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: issues('manifest.yml', parsed.error) };
}

export function loadWorkflow(path: string): Loaded<WorkflowDefinition> {
  const raw = readYaml(path);
  if (!raw.ok) return raw;
  const parsed = workflowSchema.safeParse(raw.value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: issues(path, parsed.error) };
}

/**
 * `functions.<function>.<handler>` → the handler as the manifest declares it, with its output fields.
 * A handler whose response schema cannot be read is left out with its reason, so a workflow that calls
 * it fails with that reason while the others still run (`npm run validate` reports it too).
 */
export function functionActions(root: string, manifest: Manifest): { actions: Map<string, FunctionAction>; broken: Map<string, string> } {
  const actions = new Map<string, FunctionAction>();
  const broken = new Map<string, string>();
  for (const fn of manifest.functions) {
    for (const handler of fn.handlers) {
      let outputFields: string[] = [];
      if (handler.response_schema !== null) {
        const schemaPath = join(root, fn.path, handler.response_schema);
        try {
          const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { properties?: Record<string, unknown> };
          outputFields = Object.keys(schema.properties ?? {});
        } catch (error) {
          broken.set(`functions.${fn.name}.${handler.name}`, `${schemaPath}: cannot be read as JSON (${error instanceof Error ? error.message : String(error)})`);
          continue;
        }
      }
      actions.set(`functions.${fn.name}.${handler.name}`, { functionName: fn.name, handlerName: handler.name, method: handler.method, path: handler.api_path, outputFields });
    }
  }
  return { actions, broken };
}
