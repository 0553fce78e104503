import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EditorTemplates } from './editor-templates';
import { ReportTemplateError } from './report-errors';

describe('EditorTemplates', () => {
  const templates = EditorTemplates.fromDocument({
    default: { technique: 'T0' },
    byModality: { CT: { technique: 'T-CT' } },
    byProcedure: { ACQK001: { technique: 'T-head', findings: 'F-head' } },
  });

  it('takes the procedure first, then the modality, then the default', () => {
    expect(templates.forExam('acqk001', 'CT')).toEqual({ technique: 'T-head', findings: 'F-head', conclusion: '', source: 'procedure' });
    expect(templates.forExam('ZBQH001', 'CT')).toMatchObject({ technique: 'T-CT', source: 'modality' });
    expect(templates.forExam(null, 'MR')).toMatchObject({ technique: 'T0', source: 'default' });
  });

  it('names the bad entry', () => {
    expect(() => EditorTemplates.fromDocument({ byProcedure: { ACQK001: { impression: 'x' } } })).toThrow(/byProcedure\.ACQK001: Unrecognized key/);
    expect(() => EditorTemplates.fromDocument({ byModality: { computed: {} } })).toThrow(ReportTemplateError);
  });

  it('reads the shipped file, and no file as no templates', () => {
    expect(EditorTemplates.load('config/reports').forExam('ZBQK002', 'DX').findings).toContain('Parenchyme pulmonaire');
    const empty = mkdtempSync(join(tmpdir(), 'editor-templates-'));
    expect(EditorTemplates.load(empty).forExam('ZBQK002', 'DX')).toEqual({ technique: '', findings: '', conclusion: '', source: 'default' });
    writeFileSync(join(empty, 'editor-templates.yaml'), 'default: [');
    expect(() => EditorTemplates.load(empty)).toThrow(/not valid YAML/);
  });
});
