import type { StreamSpec } from '../../falcon/streams.ts';

type Item = Record<string, unknown>;

export function hasPath(item: Item, path: string): boolean {
  let source: unknown = item;
  for (const part of path.split('.')) {
    if (source === null || typeof source !== 'object' || !Object.hasOwn(source, part)) return false;
    source = (source as Item)[part];
  }
  return true;
}

/**
 * Copies the named fields of a record into a new object. Only a record's own fields are read, and the
 * copy has no prototype: a record that carries a `__proto__` key (JSON.parse makes it an own field)
 * cannot reach Object.prototype of a warm function through a projection (the paths are checked too).
 */
export function project(fields: string[] | null, spec: StreamSpec, item: Item): unknown {
  if (!fields) return item;
  const out = Object.create(null) as Item;
  for (const path of [spec.idField, ...fields]) {
    const parts = path.split('.');
    let source: unknown = item;
    for (const part of parts) source = source !== null && typeof source === 'object' && Object.hasOwn(source, part) ? (source as Item)[part] : undefined;
    if (source === undefined) continue;
    let target = out;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) target[part] = source;
      else {
        const existing = Object.hasOwn(target, part) ? target[part] : undefined;
        target = (existing !== null && typeof existing === 'object' ? existing : (target[part] = Object.create(null))) as Item;
      }
    });
  }
  return out;
}
