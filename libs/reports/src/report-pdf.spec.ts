import { resolve } from 'node:path';
import { renderReportPdf, type ReportPdfInput } from './report-pdf';
import { loadReportTemplate } from './report-renderer';
import { reportView } from './report-view';
import { SAMPLE_SIGN_INPUT } from './sample-input';
import { pdfTextLines } from './testing/pdf-text';

const renderer = loadReportTemplate(resolve(__dirname, '../../../config/reports'));
const signedAt = new Date(SAMPLE_SIGN_INPUT.signedAt);

function input(over: Partial<ReportPdfInput> = {}, findings = SAMPLE_SIGN_INPUT.findings): ReportPdfInput {
  const { blocks } = renderer.render(reportView({ ...SAMPLE_SIGN_INPUT, findings }, signedAt, 1, 'Europe/Paris'));
  return {
    blocks,
    footer: 'ÉLÉONORE Hélène Éléonore — examen KR00000001',
    info: { title: 'Compte rendu — Radiographie du thorax', author: 'Dr Paul DURAND', subject: 'KR00000001' },
    signedAt,
    ...over,
  };
}

describe('report PDF', () => {
  it('is an A4 PDF that prints accented names and the report text', async () => {
    const pdf = await renderReportPdf(input({ compress: false }));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('/MediaBox [0 0 595.28 841.89]');
    const lines = pdfTextLines(pdf);
    expect(lines).toContain('ÉLÉONORE Hélène Éléonore');
    expect(lines).toContain('Compte rendu d’imagerie médicale');
    expect(lines).toContain('Pas d’opacité parenchymateuse.');
    expect(lines).toContain('ÉLÉONORE Hélène Éléonore — examen KR00000001 — page 1/1');
    // Only the standard fonts: nothing embedded, nothing a reader lacks.
    expect(pdf.toString('latin1')).not.toMatch(/FontFile/);
  });

  it('gives the same bytes for the same report, whenever it is made (CreationDate is the signature time)', async () => {
    const a = await renderReportPdf(input());
    await new Promise((r) => setTimeout(r, 1100));
    const b = await renderReportPdf(input());
    expect(a.equals(b)).toBe(true);
    const text = (await renderReportPdf(input({ compress: false }))).toString('latin1');
    expect(text).toMatch(/\/CreationDate \d+ 0 R/);
    expect(text).toContain('(D:20260314140926Z)');
  });

  it('brings characters outside the standard fonts into them instead of corrupting the line', async () => {
    const lines = pdfTextLines(await renderReportPdf(input({ compress: false }, 'Łukasz Nguyễn 😀 ok')));
    expect(lines).toContain('Lukasz Nguyen ? ok');
  });

  it('numbers the pages of a long report and names the patient on each', async () => {
    const long = Array.from({ length: 120 }, (_, i) => `Ligne ${i + 1} du compte rendu.`).join('\n');
    const lines = pdfTextLines(await renderReportPdf(input({ compress: false }, long)));
    const footers = lines.filter((l) => l.startsWith('ÉLÉONORE Hélène Éléonore — examen KR00000001 — page '));
    expect(footers.length).toBeGreaterThan(1);
    expect(footers[footers.length - 1]).toBe(`ÉLÉONORE Hélène Éléonore — examen KR00000001 — page ${footers.length}/${footers.length}`);
    expect(lines).toContain('Ligne 120 du compte rendu.');
  });
});
