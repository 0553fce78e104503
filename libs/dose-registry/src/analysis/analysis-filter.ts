/** Filters shared by the site analysis endpoints. */
export interface AnalysisFilter {
  readonly site?: string;
  readonly modality?: string;
  readonly from?: string;
  readonly to?: string;
}

/** WHERE clauses on dose_exam (alias e) and their values, numbered after `offset`. */
export function examWhere(f: AnalysisFilter, offset = 0): { sql: string; values: unknown[] } {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (clause: string, v: unknown) => {
    values.push(v);
    where.push(clause.replace('?', `$${offset + values.length}`));
  };
  if (f.site) add('e.site = ?', f.site);
  if (f.modality) add('e.dose_modality = ?', f.modality);
  if (f.from) add('e.performed_at >= ?::timestamptz', f.from);
  if (f.to) add('e.performed_at < ?::timestamptz', f.to);
  return { sql: where.length ? `AND ${where.join(' AND ')}` : '', values };
}

/** How a device is named in the analyses: the RDSR's Device Observer UID, else the header's identity. */
export const DEVICE_KEY = `coalesce(e.device_observer_uid, concat_ws('/', e.manufacturer, e.model, e.station_name))`;
