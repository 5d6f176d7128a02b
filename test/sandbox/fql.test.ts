import { describe, expect, it } from 'vitest';
import { compileFql, type JsonObject } from '../../sandbox/fql/compileFql.ts';
import { FqlSyntaxError, parseFql } from '../../sandbox/fql/parseFql.ts';

const matches = (filter: string, record: JsonObject): boolean => compileFql(parseFql(filter))(record);

describe('parseFql', () => {
  it('parses a quoted equality', () => {
    expect(parseFql("status:'new'")).toEqual({ kind: 'compare', field: 'status', operator: 'eq', values: [{ kind: 'string', value: 'new' }] });
  });

  it('binds + tighter than ,', () => {
    expect(parseFql('a:1+b:2,c:3')).toEqual({
      kind: 'or',
      children: [
        {
          kind: 'and',
          children: [
            { kind: 'compare', field: 'a', operator: 'eq', values: [{ kind: 'number', value: 1 }] },
            { kind: 'compare', field: 'b', operator: 'eq', values: [{ kind: 'number', value: 2 }] },
          ],
        },
        { kind: 'compare', field: 'c', operator: 'eq', values: [{ kind: 'number', value: 3 }] },
      ],
    });
  });

  it('reads every operator, lists, booleans, dotted fields and escapes', () => {
    const ops = ['a:>1', 'a:>=1', 'a:<1', 'a:<=1', 'a:!1', 'a:1'].map((f) => parseFql(f));
    expect(ops.map((n) => (n.kind === 'compare' ? n.operator : n.kind))).toEqual(['gt', 'gte', 'lt', 'lte', 'ne', 'eq']);
    expect(parseFql("type:['md5', \"sha256\"]")).toMatchObject({ operator: 'eq', values: [{ value: 'md5' }, { value: 'sha256' }] });
    expect(parseFql("type:!['md5']")).toMatchObject({ operator: 'ne', values: [{ value: 'md5' }] });
    expect(parseFql('deleted:false')).toMatchObject({ values: [{ kind: 'boolean', value: false }] });
    expect(parseFql("device.hostname:'WS-1'")).toMatchObject({ field: 'device.hostname' });
    expect(parseFql("name:'O\\'Brien \\\\ x'")).toMatchObject({ values: [{ value: "O'Brien \\ x" }] });
  });

  it('names the position of a syntax error', () => {
    const cases: Array<[string, number, RegExp]> = [
      ["a:'x'+", 7, /expected a field name/],
      ["a:'x", 5, /unterminated single-quoted value/],
      ["a 'x'", 2, /expected ':' after field 'a'/],
      ["a:'x' b:'y'", 7, /unexpected 'b'/],
      ["(a:'x'", 7, /expected '\)'/],
      ['a:>[1]', 4, /a list of values only goes with/],
      ['a:', 3, /expected a value/],
    ];
    for (const [filter, position, reason] of cases) {
      let caught: unknown;
      try {
        parseFql(filter);
      } catch (error) {
        caught = error;
      }
      expect(caught, filter).toBeInstanceOf(FqlSyntaxError);
      const error = caught as FqlSyntaxError;
      expect(error.position, filter).toBe(position);
      expect(error.message, filter).toMatch(reason);
      expect(error.message, filter).toContain(`at position ${position}`);
    }
  });
});

describe('compileFql', () => {
  const alert: JsonObject = {
    created_timestamp: '2026-11-15T10:00:00.000Z',
    severity: 70,
    status: 'new',
    device: { hostname: 'WS-ABC123' },
    labels: [{ name: 'MaliciousConfidence/High' }, { name: 'Actor/FANCYBEAR' }],
    deleted: false,
    _marker: '17934918040000000015',
  };

  it('compares ISO timestamps as instants whatever their precision', () => {
    expect(matches("created_timestamp:>='2026-11-15T10:00:00Z'", alert)).toBe(true);
    expect(matches("created_timestamp:'2026-11-15T10:00:00Z'", alert)).toBe(true);
    expect(matches("created_timestamp:>'2026-11-15T10:00:00.000Z'", alert)).toBe(false);
    expect(matches("created_timestamp:<'2026-11-16'", alert)).toBe(true);
  });

  it('compares numbers numerically and strings by code unit', () => {
    expect(matches('severity:>=70', alert)).toBe(true);
    expect(matches('severity:>70', alert)).toBe(false);
    expect(matches("severity:<'100'", alert)).toBe(true);
    expect(matches("_marker:>'17934918040000000014'", alert)).toBe(true);
    expect(matches("_marker:>'2'", alert)).toBe(false);
  });

  it('handles wildcards, any-of, negation, booleans and arrays', () => {
    expect(matches("device.hostname:'ws-*'", alert)).toBe(true);
    expect(matches("status:['closed','new']", alert)).toBe(true);
    expect(matches("status:!['closed','new']", alert)).toBe(false);
    expect(matches("status:!'closed'", alert)).toBe(true);
    expect(matches("missing_field:!'x'", alert)).toBe(true);
    expect(matches("missing_field:'x'", alert)).toBe(false);
    expect(matches('deleted:false', alert)).toBe(true);
    expect(matches("labels.name:'Actor/*'", alert)).toBe(true);
    expect(matches("labels.name:!'Actor/FANCYBEAR'", alert)).toBe(false);
  });

  it('evaluates the shapes the engine sends', () => {
    expect(matches("(status:'new'+severity:>50)+(created_timestamp:>='2026-11-01T00:00:00.000Z')", alert)).toBe(true);
    const ranges = "(created_timestamp:>='2026-11-01T00:00:00.000Z'+created_timestamp:<='2026-11-02T00:00:00.000Z'),(created_timestamp:>='2026-11-15T00:00:00.000Z')";
    expect(matches(ranges, alert)).toBe(true);
    expect(matches("(created_timestamp:>='2026-11-01T00:00:00.000Z'+created_timestamp:<='2026-11-02T00:00:00.000Z')", alert)).toBe(false);
    expect(matches("status:'closed',status:'new'+severity:>90", alert)).toBe(false);
    expect(matches("(status:'closed',status:'new')+severity:>50", alert)).toBe(true);
  });
});
