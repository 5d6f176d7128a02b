/**
 * Examples generated from a JSON Schema object, to check that a handler's zod schema and its draft-07
 * request schema agree: each example says whether the JSON Schema should accept it, and the caller
 * compares that with both validators. Covers what our request schemas use: required, enum, types,
 * string lengths, integer bounds, array items and additionalProperties.
 */
export interface SchemaExample {
  label: string;
  value: unknown;
}

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
}

export function schemaExamples(schema: JsonSchema): SchemaExample[] {
  const properties = schema.properties ?? {};
  const required = schema.required ?? [];
  const minimal: Record<string, unknown> = {};
  for (const name of required) minimal[name] = sample(properties[name] ?? {});
  const full: Record<string, unknown> = { ...minimal };
  for (const [name, property] of Object.entries(properties)) full[name] = sample(property);
  const examples: SchemaExample[] = [
    { label: 'only the required properties', value: minimal },
    { label: 'every property', value: full },
    { label: 'not an object', value: 'text' },
  ];
  for (const name of required) {
    const { [name]: _dropped, ...rest } = full;
    examples.push({ label: `without required ${name}`, value: rest });
  }
  if (schema.additionalProperties === false) examples.push({ label: 'an unknown property', value: { ...minimal, unknown_property: 'x' } });
  for (const [name, property] of Object.entries(properties)) {
    for (const variant of variants(property)) examples.push({ label: `${name}: ${variant.label}`, value: { ...minimal, [name]: variant.value } });
  }
  return examples;
}

function typeOf(schema: JsonSchema): string {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  return type ?? (schema.enum ? typeof schema.enum[0] : 'string');
}

function sample(schema: JsonSchema): unknown {
  if (schema.enum && schema.enum.length > 0) return schema.enum[schema.enum.length - 1];
  switch (typeOf(schema)) {
    case 'string':
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => sample(schema.items ?? {}));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const name of schema.required ?? []) out[name] = sample(schema.properties?.[name] ?? {});
      return out;
    }
    default:
      return null;
  }
}

function variants(schema: JsonSchema): SchemaExample[] {
  const out: SchemaExample[] = [];
  if (schema.enum) out.push({ label: 'a value outside the enum', value: 'not-in-enum' });
  switch (typeOf(schema)) {
    case 'string':
      out.push({ label: 'a number instead of a string', value: 7 });
      if (schema.maxLength !== undefined && !schema.enum) {
        out.push({ label: 'at maxLength', value: 'x'.repeat(schema.maxLength) });
        out.push({ label: 'over maxLength', value: 'x'.repeat(schema.maxLength + 1) });
      }
      if (schema.minLength !== undefined && schema.minLength > 0) out.push({ label: 'under minLength', value: 'x'.repeat(schema.minLength - 1) });
      break;
    case 'integer':
    case 'number':
      out.push({ label: 'a string instead of a number', value: '5' });
      if (typeOf(schema) === 'integer') out.push({ label: 'a fraction', value: (schema.minimum ?? 1) + 0.5 });
      if (schema.minimum !== undefined) out.push({ label: 'below minimum', value: schema.minimum - 1 });
      if (schema.maximum !== undefined) {
        out.push({ label: 'at maximum', value: schema.maximum });
        out.push({ label: 'above maximum', value: schema.maximum + 1 });
      }
      break;
    case 'array':
      out.push({ label: 'not an array', value: 'x' });
      if (schema.maxItems !== undefined) out.push({ label: 'over maxItems', value: Array.from({ length: schema.maxItems + 1 }, () => sample(schema.items ?? {})) });
      if (schema.minItems !== undefined && schema.minItems > 0) out.push({ label: 'under minItems', value: [] });
      if (schema.items) for (const inner of variants(schema.items)) out.push({ label: `an item with ${inner.label}`, value: [inner.value] });
      break;
    case 'object':
      out.push({ label: 'not an object', value: 'x' });
      if (schema.additionalProperties === false) out.push({ label: 'an unknown property', value: { ...(sample(schema) as object), unknown_property: 1 } });
      for (const name of schema.required ?? []) {
        const { [name]: _dropped, ...rest } = sample(schema) as Record<string, unknown>;
        out.push({ label: `without required ${name}`, value: rest });
      }
      break;
  }
  return out;
}
