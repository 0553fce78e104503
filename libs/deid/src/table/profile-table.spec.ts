import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANNEX_E_JSON, STANDARD_XML } from './annex-e.source';
import { parseAnnexE } from './profile-table.parser';

const ROOT = join(__dirname, '../../../..');

describe('Table E.1-1 and E.3.10-1 from the PS3.15 2023b XML', () => {
  const tables = parseAnnexE(readFileSync(join(ROOT, STANDARD_XML), 'utf8'));

  it('the checked-in JSON is exactly what the XML gives (regenerate with npm run deid:table)', () => {
    expect(JSON.parse(readFileSync(join(ROOT, ANNEX_E_JSON), 'utf8'))).toEqual(JSON.parse(JSON.stringify(tables)));
  });

  it('has every row of the table, with its Basic Profile action and option cells', () => {
    expect(tables.profile.length).toBeGreaterThan(600);
    const byTag = new Map(tables.profile.map((r) => [r.tag, r]));
    expect(byTag.get('(0010,0010)')).toMatchObject({ name: "Patient's Name", basic: 'Z' });
    expect(byTag.get('(0008,0018)')).toMatchObject({ basic: 'U', options: { retainUids: 'K' } });
    expect(byTag.get('(0008,0022)')).toMatchObject({ basic: 'X/Z', options: { retainLongitudinalFullDates: 'K', retainLongitudinalModifiedDates: 'C' } });
    expect(byTag.get('(60xx,3000)')).toMatchObject({ basic: 'X' });
    expect(byTag.get('(gggg,eeee)')).toMatchObject({ basic: 'X', options: { retainSafePrivate: 'C' } });
  });

  it('has the safe private attributes of the Retain Safe Private Option', () => {
    expect(tables.safePrivate).toContainEqual({ group: '7053', element: '00', creator: 'Philips PET Private Group', vr: 'DS' });
  });
});
