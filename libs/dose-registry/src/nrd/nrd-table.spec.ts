import { join } from 'node:path';
import { NrdTable } from './nrd-table';
import { NrdConfigError } from '../dose-registry-errors';

const ROOT = join(__dirname, '../../../..');
const table = { version: 't', effective: '2019-07-01', source: 's', categories: [{ id: 'rad-thorax-pa', label: 'Thorax PA', quantity: 'dap_mGy_cm2', per: 'event', nrd: 200, vgd: 150, ref: 'x' }] };

describe('NrdTable', () => {
  it('loads the shipped table and mapping', () => {
    const t = NrdTable.load(join(ROOT, 'config/dose/nrd-fr-2019.yaml'), join(ROOT, 'config/dose/nrd-mapping.yaml'));
    expect(t.categories.find((c) => c.id === 'rad-thorax-pa')).toMatchObject({ nrd: 200, vgd: 150 });
    expect(t.categoryOf('DX', 'Thorax PA')?.id).toBe('rad-thorax-pa');
    expect(t.categoryOf('DX', 'THORAX PROFIL')?.id).toBe('rad-thorax-lat');
    expect(t.categoryOf('CT', 'Thorax PA')).toBeNull();
  });

  it('matches procedure codes before protocol names', () => {
    const t = NrdTable.fromDocuments(table, { version: 1, rules: [{ category: 'rad-thorax-pa', procedureCodes: ['X1'] }] });
    expect(t.categoryOf('DX', null, ['X1'])?.id).toBe('rad-thorax-pa');
  });

  it('names an unknown category and a bad expression', () => {
    const bad = () =>
      NrdTable.fromDocuments(table, {
        version: 1,
        rules: [
          { category: 'nope', protocol: 'a' },
          { category: 'rad-thorax-pa', protocol: '(' },
        ],
      });
    expect(bad).toThrow(NrdConfigError);
    expect(bad).toThrow(/rules\.0\.category: unknown NRD category "nope"/);
    expect(bad).toThrow(/rules\.1\.protocol: not a valid regular expression/);
  });

  it('refuses a guide value above its NRD', () => {
    expect(() => NrdTable.fromDocuments({ ...table, categories: [{ ...table.categories[0], vgd: 300 }] }, { version: 1, rules: [] })).toThrow(/vgd/);
  });
});
