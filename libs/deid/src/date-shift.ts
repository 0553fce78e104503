/**
 * Moving DA and DT values back by whole days (Retain Longitudinal Temporal Information with
 * Modified Dates): intervals between a patient's exams are kept, times of day are kept, the
 * calendar dates are not. Partial values (a year, a year and month) move by the same offset and
 * keep their precision. A value that is not a date is returned as undefined: the caller removes it.
 */
export function shiftDate(value: string, days: number): string | undefined {
  const m = /^(\d{4})(\d{2})?(\d{2})?$/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo ?? '01') - 1, Number(d ?? '01')));
  if (Number.isNaN(date.getTime())) return undefined;
  date.setUTCDate(date.getUTCDate() - days);
  const yyyy = String(date.getUTCFullYear()).padStart(4, '0');
  const mm = String(date.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(date.getUTCDate()).padStart(2, '0');
  if (mo === undefined) return yyyy;
  if (d === undefined) return yyyy + mm;
  return yyyy + mm + dd;
}

/** A DT value: the date part moves, the time and the UTC offset stay. */
export function shiftDateTime(value: string, days: number): string | undefined {
  const m = /^(\d{4,8})(.*)$/.exec(value.trim());
  if (!m) return undefined;
  const date = shiftDate(m[1], days);
  return date === undefined ? undefined : date + m[2];
}
