import { z } from 'zod';

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name, checked against the runtime's tz database. */
export const timeZoneSchema = z.string().refine(isTimeZone, 'not an IANA time zone (e.g. Europe/Paris)');
