import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ReportTemplateError } from './report-errors';
import { compileReportTemplate, loadReportTemplate } from './report-renderer';
import { reportView } from './report-view';
import { MINIMAL_SIGN_INPUT, SAMPLE_SIGN_INPUT } from './sample-input';

const SHIPPED = resolve(__dirname, '../../../config/reports');

function templateDir(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'krypton-report-'));
  writeFileSync(join(dir, 'report.hbs'), source);
  return dir;
}

describe('report renderer', () => {
  const renderer = loadReportTemplate(SHIPPED);
  const at = new Date(SAMPLE_SIGN_INPUT.signedAt);

  it('renders the shipped template with every section, dates in the configured time zone', () => {
    const { text, blocks } = renderer.render(reportView(SAMPLE_SIGN_INPUT, at, 1, 'Europe/Paris'));
    expect(blocks[0]).toEqual({ kind: 'text', text: 'CHU Nord' });
    expect(blocks).toContainEqual({ kind: 'title', text: 'Compte rendu d’imagerie médicale' });
    expect(blocks).toContainEqual({ kind: 'field', label: 'Nom', value: 'ÉLÉONORE Hélène Éléonore' });
    expect(blocks).toContainEqual({ kind: 'field', label: 'IPP', value: 'IPP-1 (000000002)' });
    expect(blocks).toContainEqual({ kind: 'heading', text: 'Résultats' });
    expect(text).toContain('Né(e) le : 12/03/1979');
    expect(text).toContain('Sexe : Féminin');
    expect(text).toContain('INS : 279035121518989');
    expect(text).toContain('N° d’examen : KR00000001');
    expect(text).toContain('Renseignements cliniques\nToux fébrile depuis 5 jours.');
    // Line breaks typed by the radiologist are kept.
    expect(text).toContain('Résultats\nPas d’opacité parenchymateuse.\nCul-de-sac pleuraux libres.');
    expect(text).toContain('validé électroniquement par Dr Paul DURAND (RPPS 10000000001), le 14/03/2026 à 15:09.');
    expect(text).not.toContain('Complément');
    expect(text).not.toMatch(/\n\n\n/);
  });

  it('drops the lines of absent optional data and says when the report is an addendum', () => {
    const { text } = renderer.render(reportView(MINIMAL_SIGN_INPUT, new Date(MINIMAL_SIGN_INPUT.signedAt), 2, 'Europe/Paris'));
    expect(text).not.toMatch(/Né\(e\) le|INS :|IPP :|RPPS|Renseignements cliniques|Technique/);
    expect(text).toContain('Complément au compte rendu (version 2)');
    expect(text).toContain('le 14/03/2026 à 15:09.');
  });

  it('keeps special characters as typed (no HTML escaping) and lets no value forge a heading', () => {
    const input = {
      ...SAMPLE_SIGN_INPUT,
      findings: 'Nodule < 6 mm & "stable" — l’aspect est rassurant.\r\n\u0001HFausse section\n{{conclusion}}',
      patient: { ...SAMPLE_SIGN_INPUT.patient, familyName: "O'NEIL-ÇÆ" },
    };
    const { text, blocks } = renderer.render(reportView(input, at, 1, 'UTC'));
    expect(text).toContain('Nodule < 6 mm & "stable" — l’aspect est rassurant.\nHFausse section\n{{conclusion}}');
    expect(text).toContain("Nom : O'NEIL-ÇÆ Hélène Éléonore");
    expect(blocks.filter((b) => b.kind === 'heading').map((b) => (b as { text: string }).text)).not.toContain('Fausse section');
  });

  it('refuses a template with a syntax error, naming the file', () => {
    const dir = templateDir('{{title "x"}}\n{{#if findings}}\n');
    expect(() => loadReportTemplate(dir)).toThrow(ReportTemplateError);
    expect(() => loadReportTemplate(dir)).toThrow(new RegExp(`template ${join(dir, 'report.hbs').replace(/[.\\/]/g, '\\$&')} is unusable`));
  });

  it('refuses a misspelt key and an unknown helper at start-up rather than printing blanks', () => {
    expect(() => compileReportTemplate('{{patient.birthdate}}', 'report.hbs')).toThrow(/report\.hbs is unusable: .*birthdate/);
    expect(() => compileReportTemplate('{{signature radiologist.name}}', 'report.hbs')).toThrow(/report\.hbs is unusable: .*signature/);
  });

  it('names a missing template file', () => {
    expect(() => loadReportTemplate('/nonexistent/reports')).toThrow(/template \/nonexistent\/reports\/report\.hbs is unusable: cannot read it \(ENOENT\)/);
  });
});
