/**
 * The data an execution accumulates, by Fusion data path: trigger inputs by bare name,
 * `WorkflowCustomVariable.<field>`, `<action>.FaaS.<function>.<handler>.<field>`, `Loop.Iteration`,
 * `Workflow.Execution.ID`. Values are JSON.
 */
export class WorkflowData {
  readonly #values = new Map<string, unknown>();

  set(path: string, value: unknown): void {
    this.#values.set(path, value);
  }

  has(path: string): boolean {
    return this.#values.has(path);
  }

  /** undefined when nothing was ever written at the path (a condition reads that as null). */
  get(path: string): unknown {
    if (this.#values.has(path)) return this.#values.get(path);
    // `<array path>.#` is the current for-each item, stored under its own key by the loop.
    return undefined;
  }
}

const WHOLE = /^\$\{([^{}]+)\}$/;
const EMBEDDED = /\$\{([^{}]+)\}/g;
const DATA_INDEX = /^data\[\s*'([^']+)'\s*\]$/;

export type ResolveResult = { ok: true; value: unknown } | { ok: false; message: string };

/** The data path an expression inside `${...}` names: `data['a.b']` or a bare `a.b`. */
export function dataPathOf(expression: string): string {
  const trimmed = expression.trim();
  return DATA_INDEX.exec(trimmed)?.[1] ?? trimmed;
}

/**
 * Resolves `${...}` references in action properties. A string that is one reference keeps the value's
 * type (arrays stay arrays); references inside longer strings are interpolated. `${{NAME}}` is a
 * platform constant. A reference to a path no step wrote is an error, not a silent empty value.
 */
export function resolveTemplate(value: unknown, data: WorkflowData, constants: Record<string, string>): ResolveResult {
  if (typeof value === 'string') {
    const constant = /^\$\{\{([A-Z_]+)\}\}$/.exec(value)?.[1];
    if (constant !== undefined) {
      const found = constants[constant];
      return found === undefined ? { ok: false, message: `unknown platform constant ${constant}` } : { ok: true, value: found };
    }
    const whole = WHOLE.exec(value)?.[1];
    if (whole !== undefined) return lookup(dataPathOf(whole), data);
    let failure: string | null = null;
    const text = value.replace(EMBEDDED, (_, expression: string) => {
      const found = lookup(dataPathOf(expression), data);
      if (!found.ok) {
        failure ??= found.message;
        return '';
      }
      return typeof found.value === 'string' ? found.value : JSON.stringify(found.value);
    });
    return failure === null ? { ok: true, value: text } : { ok: false, message: failure };
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const resolved = resolveTemplate(item, data, constants);
      if (!resolved.ok) return resolved;
      out.push(resolved.value);
    }
    return { ok: true, value: out };
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const resolved = resolveTemplate(item, data, constants);
      if (!resolved.ok) return resolved;
      out[key] = resolved.value;
    }
    return { ok: true, value: out };
  }
  return { ok: true, value };
}

function lookup(path: string, data: WorkflowData): ResolveResult {
  return data.has(path) ? { ok: true, value: data.get(path) } : { ok: false, message: `\${${path}} refers to data no earlier step produced` };
}
