/** How numbers, durations and times read in the panel: the console user's locale and time zone. */
export interface Formatter {
  /** A count with grouping: 25000 → "25,000". */
  count(n: number): string;
  /** A duration in ms: "260 ms", "24.9 s", "6 min 5 s", "1 h 2 min". */
  duration(ms: number): string;
  /** Calls spent against the optimum: 34 vs 25 → "1.36×"; null when the optimum is unknown or zero. */
  ratio(actual: number, optimal: number | null): string | null;
  /** A share from 0 to 1 and above: 0.5 → "50%", 1.0054 → "100.5%". */
  percent(share: number): string;
  /** A wall-clock instant in the user's zone, down to the second. */
  dateTime(epochMs: number): string;
}

export interface FormatterOptions {
  /** BCP 47 tag, as the console sends it in `falcon.data.locale` (e.g. "en-us"). */
  locale?: string | undefined;
  /** IANA zone from `falcon.data.timezone`; the browser's zone when absent. */
  timeZone?: string | undefined;
}

export function createFormatter(options: FormatterOptions = {}): Formatter {
  const locale = supportedLocale(options.locale);
  const counts = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const oneDecimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const twoDecimals = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const dates = dateTimeFormat(locale, options.timeZone);
  return {
    count: (n) => counts.format(n),
    duration: (ms) => formatDuration(ms, counts, oneDecimal),
    ratio: (actual, optimal) => (optimal === null || optimal <= 0 ? null : `${twoDecimals.format(actual / optimal)}×`),
    percent: (share) => `${oneDecimal.format(Math.floor(share * 1000) / 10)}%`,
    dateTime: (epochMs) => dates.format(new Date(epochMs)),
  };
}

function formatDuration(ms: number, counts: Intl.NumberFormat, oneDecimal: Intl.NumberFormat): string {
  if (ms < 1000) return `${counts.format(Math.round(ms))} ms`;
  if (ms < 60_000) return `${oneDecimal.format(Math.floor(ms / 100) / 10)} s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 3600) {
    const seconds = totalSeconds % 60;
    return seconds === 0 ? `${Math.floor(totalSeconds / 60)} min` : `${Math.floor(totalSeconds / 60)} min ${seconds} s`;
  }
  const totalMinutes = Math.round(totalSeconds / 60);
  const minutes = totalMinutes % 60;
  return minutes === 0 ? `${Math.floor(totalMinutes / 60)} h` : `${Math.floor(totalMinutes / 60)} h ${minutes} min`;
}

// A locale or zone the browser does not know must not blank the panel: fall back to the defaults.
function supportedLocale(locale: string | undefined): string | undefined {
  if (!locale) return undefined;
  try {
    return Intl.NumberFormat.supportedLocalesOf([locale]).length > 0 ? locale : undefined;
  } catch {
    return undefined;
  }
}

function dateTimeFormat(locale: string | undefined, timeZone: string | undefined): Intl.DateTimeFormat {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'long' };
  if (timeZone) {
    try {
      return new Intl.DateTimeFormat(locale, { ...options, timeZone });
    } catch {
      // RangeError for an unknown zone: the browser's own zone is the honest fallback.
    }
  }
  return new Intl.DateTimeFormat(locale, options);
}
