import { DoseReport, DoseTotals, EMPTY_TOTALS, ReportKind } from '@krypton/dose-extraction';

/**
 * The per-file record `krypton dose extract --json` prints. The first keys are the stable
 * contract other tools parse (file, kind, UIDs, totals, events); the rest is extra detail that
 * may grow. A file that could not be read has kind null and an `error`.
 */
export interface DoseExtractRecord {
  readonly file: string;
  readonly kind: ReportKind | null;
  readonly sopInstanceUid: string | null;
  readonly studyInstanceUid: string | null;
  readonly deviceObserverUid: string | null;
  readonly totals: DoseTotals;
  readonly events: DoseReport['events'];
  readonly source?: DoseReport['source'];
  readonly template?: DoseReport['template'];
  readonly sopClassUid?: string | null;
  readonly modality?: string | null;
  readonly warnings?: readonly string[];
  readonly error?: string;
}

export function recordOf(file: string, report: DoseReport): DoseExtractRecord {
  return {
    file,
    kind: report.kind,
    sopInstanceUid: report.sopInstanceUid,
    studyInstanceUid: report.studyInstanceUid,
    deviceObserverUid: report.deviceObserverUid,
    totals: report.totals,
    events: report.events,
    source: report.source,
    template: report.template,
    sopClassUid: report.sopClassUid,
    modality: report.modality,
    warnings: report.warnings,
  };
}

export function errorRecord(file: string, error: string): DoseExtractRecord {
  return {
    file,
    kind: null,
    sopInstanceUid: null,
    studyInstanceUid: null,
    deviceObserverUid: null,
    totals: EMPTY_TOTALS,
    events: [],
    error,
  };
}

const COLUMNS: ReadonlyArray<[title: string, cell: (r: DoseExtractRecord) => string]> = [
  ['FILE', (r) => r.file],
  ['KIND', (r) => r.kind ?? 'ERROR'],
  ['SOURCE', (r) => r.source ?? ''],
  ['EVENTS', (r) => show(r.totals.eventCount)],
  ['DLP mGy·cm', (r) => show(r.totals.dlpTotal_mGy_cm)],
  ['DAP Gy·m²', (r) => show(r.totals.dapTotal_Gy_m2)],
  ['RP dose Gy', (r) => show(r.totals.rpDoseTotal_Gy)],
  ['FLUORO s', (r) => show(r.totals.fluoroTime_s)],
  ['AGD mGy', (r) => show(r.totals.agdTotal_mGy)],
  ['NOTE', note],
];

function note(r: DoseExtractRecord): string {
  if (r.error) return r.error;
  const parts = [...(r.warnings ?? [])];
  // Header dose has no accumulated totals; show the image's own values so the row is not blank.
  if (r.source === 'header') {
    for (const e of r.events) {
      const values = [
        e.dap_Gy_m2 !== null ? `DAP ${show(e.dap_Gy_m2)} Gy·m²` : null,
        e.ctdiVol_mGy !== null ? `CTDIvol ${show(e.ctdiVol_mGy)} mGy` : null,
        e.agd_mGy !== null ? `AGD ${show(e.agd_mGy)} mGy` : null,
        e.entranceDose_mGy != null ? `entrance ${show(e.entranceDose_mGy)} mGy` : null,
        e.exposureIndex != null ? `EI ${show(e.exposureIndex)}` : null,
      ].filter((v) => v !== null);
      if (values.length > 0) parts.push(`header: ${values.join(', ')}`);
    }
  }
  return parts.join('; ');
}

/** A plain-text table for people; "-" marks a value the file does not state. */
export function formatTable(records: readonly DoseExtractRecord[]): string {
  const rows = [COLUMNS.map(([title]) => title), ...records.map((r) => COLUMNS.map(([, cell]) => cell(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return (
    rows
      .map((row) =>
        row
          .map((cell, i) => cell.padEnd(widths[i]))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** Up to 6 significant digits, so a table never shows float noise like 2.0499999999999997e-5. */
function show(value: number | null): string {
  return value === null ? '-' : String(Number(value.toPrecision(6)));
}
