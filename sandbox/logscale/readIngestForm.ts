import type { FormPart } from './parseMultipart.ts';

/** The form fields of IngestDataV1 (FalconPy's endpoint definitions): the only ones the sandbox takes. */
export const INGEST_FIELDS = ['data_content', 'data_file', 'tag', 'tag_source', 'test_data'] as const;

export type IngestFieldName = (typeof INGEST_FIELDS)[number];

export interface IngestForm {
  /** Which of the two data fields carried the JSON data. */
  dataField: 'data_content' | 'data_file';
  data: string;
  tags: string[];
  /** '' when absent. */
  tagSource: string;
  /** false when absent. */
  testData: boolean;
}

export type IngestFormResult = { kind: 'form'; form: IngestForm } | { kind: 'invalid'; message: string };

/**
 * Reads the ingest form out of its parts. Strict, because the real API documents only five fields: an
 * unknown field is far more likely a typo (`tags`, `data`) that would silently drop data than an
 * extension, so it is refused by name. Whether `data_file` must be a file part is UNVERIFIED; either
 * kind of part is taken for either data field.
 */
export function readIngestForm(parts: readonly FormPart[]): IngestFormResult {
  const byName = new Map<IngestFieldName, FormPart[]>();
  for (const part of parts) {
    if (!isIngestField(part.name)) {
      return invalid(`unknown form field "${part.name}"; the ingest API takes ${INGEST_FIELDS.join(', ')}`);
    }
    byName.set(part.name, [...(byName.get(part.name) ?? []), part]);
  }
  for (const single of ['data_content', 'data_file', 'tag_source', 'test_data'] as const) {
    const count = byName.get(single)?.length ?? 0;
    if (count > 1) return invalid(`the form field "${single}" appears ${count} times; send it at most once`);
  }

  const content = byName.get('data_content')?.[0];
  const file = byName.get('data_file')?.[0];
  if (content !== undefined && file !== undefined) return invalid('the form has both data_content and data_file; send exactly one of them');
  const data = content ?? file;
  if (data === undefined) return invalid('the form has neither data_content nor data_file; send exactly one of them');

  const testData = byName.get('test_data')?.[0]?.value ?? 'false';
  if (testData !== 'true' && testData !== 'false') return invalid(`the form field "test_data" must be "true" or "false", got "${testData}"`);
  return {
    kind: 'form',
    form: {
      dataField: content !== undefined ? 'data_content' : 'data_file',
      data: data.value,
      tags: (byName.get('tag') ?? []).map((part) => part.value),
      tagSource: byName.get('tag_source')?.[0]?.value ?? '',
      testData: testData === 'true',
    },
  };
}

function isIngestField(name: string): name is IngestFieldName {
  return (INGEST_FIELDS as readonly string[]).includes(name);
}

function invalid(problem: string): IngestFormResult {
  return { kind: 'invalid', message: `Invalid ingest form: ${problem}` };
}
