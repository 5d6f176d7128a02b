import { describe, expect, it } from 'vitest';
import { createFormatter } from '../../../ui/shared/createFormatter.ts';

describe(createFormatter.name, () => {
  const format = createFormatter({ locale: 'en-us', timeZone: 'UTC' });

  it('groups counts in the user locale', () => {
    expect(format.count(25_000)).toBe('25,000');
    expect(createFormatter({ locale: 'de-DE' }).count(25_000)).toBe('25.000');
  });

  it('writes durations in the largest sensible unit without rounding a wait up', () => {
    expect(format.duration(0)).toBe('0 ms');
    expect(format.duration(999)).toBe('999 ms');
    expect(format.duration(1000)).toBe('1 s');
    expect(format.duration(24_900)).toBe('24.9 s');
    expect(format.duration(59_999)).toBe('59.9 s');
    expect(format.duration(60_000)).toBe('1 min');
    expect(format.duration(365_904)).toBe('6 min 6 s');
    expect(format.duration(3_600_000)).toBe('1 h');
    expect(format.duration(3_720_000)).toBe('1 h 2 min');
  });

  it('compares calls with the optimum only when there is one', () => {
    expect(format.ratio(34, 25)).toBe('1.36×');
    expect(format.ratio(25, 25)).toBe('1.00×');
    expect(format.ratio(3, null)).toBeNull();
    expect(format.ratio(3, 0)).toBeNull();
  });

  it('never shows 100% for an export that is not there yet, and shows more than 100% honestly', () => {
    expect(format.percent(0.99996)).toBe('99.9%');
    expect(format.percent(1)).toBe('100%');
    expect(format.percent(25_134 / 25_000)).toBe('100.5%');
    expect(format.percent(0.24)).toBe('24%');
  });

  it('writes instants in the console user time zone', () => {
    const at = Date.UTC(2026, 10, 2, 10, 40, 5);
    expect(format.dateTime(at)).toBe('Nov 2, 2026, 10:40:05 AM UTC');
    expect(createFormatter({ locale: 'en-us', timeZone: 'America/New_York' }).dateTime(at)).toBe('Nov 2, 2026, 5:40:05 AM EST');
  });

  it('falls back instead of throwing on a zone or locale the browser does not know', () => {
    const odd = createFormatter({ locale: 'xx-not-a-locale-zz', timeZone: 'Mars/Olympus_Mons' });
    expect(odd.count(1234)).toMatch(/^1.?234$/);
    expect(odd.dateTime(Date.UTC(2026, 0, 1))).toContain('2026');
  });
});
