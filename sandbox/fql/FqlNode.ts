/** The parsed form of the FQL subset the sandbox understands. */
export type FqlLiteral =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean };

/**
 * `eq` with several values is FQL's any-of (`field:['a','b']`); `ne` with several is none-of (`field:!['a','b']`).
 * Range operators always carry exactly one value.
 */
export type FqlOperator = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte';

export type FqlNode =
  | { kind: 'and'; children: FqlNode[] }
  | { kind: 'or'; children: FqlNode[] }
  | { kind: 'compare'; field: string; operator: FqlOperator; values: FqlLiteral[] };
