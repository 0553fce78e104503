/**
 * An <input type="datetime-local"> value (`2026-12-05T10:30`, the region's wall-clock time) as
 * ISO 8601 with the Europe/Paris offset of that moment, which the schedule route requires.
 */
export function parisIso(local: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local)) return local;
  const asUtc = new Date(`${local}:00Z`);
  const offsetAt = (d: Date) => {
    const name = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', timeZoneName: 'longOffset' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = name.match(/GMT([+-])(\d{2}):?(\d{2})?/);
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
  };
  // The offset of the instant that local time names (twice: across a DST change the first guess is an hour off).
  let offset = offsetAt(new Date(asUtc.getTime() - offsetAt(asUtc) * 60_000));
  offset = offsetAt(new Date(asUtc.getTime() - offset * 60_000));
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}:00${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
