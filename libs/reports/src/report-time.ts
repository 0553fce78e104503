/** One instant as the report shows it and as DICOM stores it, in the configured time zone. */
export interface ZonedInstant {
  /** YYYYMMDD (DICOM DA) */
  readonly da: string;
  /** HHMMSS (DICOM TM) */
  readonly tm: string;
  /** YYYYMMDDHHMMSS±HHMM (DICOM DT with its offset) */
  readonly dt: string;
  /** DD/MM/YYYY */
  readonly date: string;
  /** HH:MM */
  readonly time: string;
}

/** An ISO 8601 date-time with a time zone (Z or ±HH:MM): without one the instant is ambiguous. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export function parseInstant(iso: string): Date | null {
  if (!ISO_WITH_ZONE.test(iso)) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // hourCycle h23: 'en-GB' with hour12 false still prints midnight as 24 in some ICU versions.
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

export function zoned(at: Date, timeZone: string): ZonedInstant {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const { year, month, day, hour, minute, second } = parts as Record<string, string>;
  // The offset is what separates the wall-clock reading from UTC at this instant (DST included).
  const wall = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second);
  const offsetMinutes = Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / 60000);
  const abs = Math.abs(offsetMinutes);
  const offset = `${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
  const da = `${year}${month}${day}`;
  const tm = `${hour}${minute}${second}`;
  return { da, tm, dt: `${da}${tm}${offset}`, date: `${day}/${month}/${year}`, time: `${hour}:${minute}` };
}

/** YYYYMMDD or ISO 8601 (date or date-time) → DD/MM/YYYY; null when it is neither. */
export function displayDate(value: string | undefined | null, timeZone: string): string | null {
  if (!value) return null;
  const da = /^(\d{4})(\d{2})(\d{2})$/.exec(value) ?? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (da) return `${da[3]}/${da[2]}/${da[1]}`;
  const instant = parseInstant(value);
  return instant ? zoned(instant, timeZone).date : null;
}

/** The DICOM DA of a YYYYMMDD or ISO 8601 value; null when it is neither. */
export function dicomDate(value: string | undefined | null, timeZone: string): string | null {
  const shown = displayDate(value, timeZone);
  if (!shown) return null;
  const [d, m, y] = shown.split('/');
  return `${y}${m}${d}`;
}
