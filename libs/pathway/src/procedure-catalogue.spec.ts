import { join } from 'node:path';
import { ProcedureCatalogue } from './procedure-catalogue';
import { ProcedureCatalogueError } from './request-errors';

describe('ProcedureCatalogue', () => {
  it('loads the shipped catalogue', () => {
    const cat = ProcedureCatalogue.load(join(__dirname, '../../../config/procedures.yaml'));
    expect(cat.find('zbqk002')).toMatchObject({ label: 'Radiographie du thorax', modality: 'DX', bodyPart: 'CHEST' });
    expect(cat.find('ACQK001')?.modality).toBe('CT');
    expect(cat.find('NOPE')).toBeUndefined();
  });

  it('names the bad entry by index and code', () => {
    const doc = {
      version: 1,
      procedures: [
        { code: 'ZBQK002', label: 'x', modality: 'DX', bodyPart: 'CHEST' },
        { code: 'ACQK001', label: 'y', modality: 'XX', bodyPart: 'HEAD' },
      ],
    };
    expect(() => ProcedureCatalogue.fromDocument(doc, 'p.yaml')).toThrow(/procedures\.1\.modality \(ACQK001\)/);
  });

  it('refuses duplicate codes', () => {
    const p = { code: 'ZBQK002', label: 'x', modality: 'DX', bodyPart: 'CHEST' };
    try {
      ProcedureCatalogue.fromDocument({ version: '1', procedures: [p, p] }, 'p.yaml');
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(ProcedureCatalogueError);
      expect(e.problems).toEqual(['procedures.1.code (ZBQK002): duplicate code']);
    }
  });

  it('says when the file is missing', () => {
    expect(() => ProcedureCatalogue.load('/nonexistent/procedures.yaml')).toThrow(/file not found/);
  });
});
