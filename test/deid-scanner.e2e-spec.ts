import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FORBIDDEN, ORIGINAL, SEEDS, seededObjects } from './support/deid-seeded-inputs';
import { ROOT } from './support/env';

const run = promisify(execFile);

interface ScanReport {
  files: number;
  elements: number;
  hits: { file: string; tag: string; seed: string }[];
  rawHits: { file: string; seed: string }[];
  problems: { file: string; problem: string }[];
  objects: { file: string; sopClass: string; sop: string; series: string; study: string; frame: string; patientId: string; studyDate: string; pixels: string | null }[];
  references: { file: string; kind: 'sop' | 'series' | 'study' | 'frame'; uid: string }[];
}

/** The independent scanner: Debian's pydicom, run by the system Python (not a venv, not our code). */
async function scan(dir: string): Promise<ScanReport> {
  const { stdout } = await run('/usr/bin/python3', [join(ROOT, 'test/support/deid-scanner.py'), dir, ...FORBIDDEN], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout);
}

async function deid(inputs: string, out: string, secretFile: string): Promise<{ code: number; summary: { exported: number; quarantined: { file: string; reason: string }[]; failed: unknown[] } }> {
  const args = [
    'run',
    '--silent',
    'krypton',
    '--',
    'deid',
    inputs,
    '--out',
    out,
    '--project',
    'scanner-test',
    '--secret-file',
    secretFile,
    '--options',
    'retain-longitudinal-modified-dates,retain-patient-characteristics,clean-structured-content,clean-descriptors',
  ];
  try {
    const { stdout } = await run('npm', args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, summary: JSON.parse(stdout.trim().split('\n').pop()!) };
  } catch (error) {
    return { code: error.code, summary: JSON.parse(String(error.stdout).trim().split('\n').pop() || '{}') };
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [join(dir, n)]));
}

describe('de-identified extraction checked by an independent scanner (pydicom)', () => {
  const work = mkdtempSync(join(tmpdir(), 'krypton-deid-scan-'));
  const inputs = join(work, 'in');
  const secret = join(work, 'secret');
  const objects = seededObjects();
  let report: ScanReport;
  let first: Awaited<ReturnType<typeof deid>>;

  beforeAll(async () => {
    mkdirSync(inputs);
    for (const [name, bytes] of Object.entries(objects)) writeFileSync(join(inputs, name), bytes);
    writeFileSync(secret, 'scanner-test-secret-0123456789abcdef');
    first = await deid(inputs, join(work, 'out1'), secret);
    report = await scan(join(work, 'out1'));
  }, 180_000);

  it('exports every object except the two that may burn identity into pixels, which are quarantined with reasons', () => {
    expect(first.code).toBe(0);
    expect(first.summary.exported).toBe(7);
    expect(first.summary.failed).toEqual([]);
    expect(first.summary.quarantined.map((q) => q.file.split('/').pop()).sort()).toEqual(['sc.dcm', 'us.dcm']);
    for (const q of first.summary.quarantined) expect(q.reason).toMatch(/BurnedInAnnotation/);
    expect(report.files).toBe(7);
  });

  it('no seeded identifying value is left in any element at any depth (private ones included) nor in the raw bytes', () => {
    expect(report.elements).toBeGreaterThan(200);
    expect(report.hits).toEqual([]);
    expect(report.rawHits).toEqual([]);
    expect(report.problems).toEqual([]);
  });

  it('every object of the patient carries the same pseudonym, and shifted dates', () => {
    const ids = new Set(report.objects.map((o) => o.patientId));
    expect(ids.size).toBe(1);
    expect([...ids][0]).not.toBe(SEEDS.patientId);
    for (const o of report.objects) expect(o.studyDate).toMatch(/^\d{8}$/);
    expect(new Set(report.objects.map((o) => o.studyDate)).size).toBe(1);
  });

  it('references between RT, SEG and SR objects point at the new UIDs of the objects they refer to', () => {
    const bySop = (cls: string) => report.objects.filter((o) => o.sopClass === cls);
    const cts = bySop('1.2.840.10008.5.1.4.1.1.2');
    const [structure] = bySop('1.2.840.10008.5.1.4.1.1.481.3');
    const [plan] = bySop('1.2.840.10008.5.1.4.1.1.481.5');
    const [dose] = bySop('1.2.840.10008.5.1.4.1.1.481.2');
    const [segmentation] = bySop('1.2.840.10008.5.1.4.1.1.66.4');
    const [report_] = bySop('1.2.840.10008.5.1.4.1.1.88.33');
    const refs = (file: string, kind: string) => report.references.filter((r) => r.file === file && r.kind === kind).map((r) => r.uid);
    const ctSops = cts.map((c) => c.sop).sort();
    expect(ctSops).toHaveLength(2);
    // RT structure set → CT images, CT series, study, frame of reference.
    expect(
      refs(structure.file, 'sop')
        .filter((u) => u !== cts[0].study)
        .sort(),
    ).toEqual(ctSops);
    expect(refs(structure.file, 'sop')).toContain(cts[0].study);
    expect(refs(structure.file, 'series')).toEqual([cts[0].series]);
    expect(new Set(refs(structure.file, 'frame'))).toEqual(new Set([cts[0].frame]));
    // RT plan → structure set; RT dose → plan.
    expect(refs(plan.file, 'sop')).toEqual([structure.sop]);
    expect(refs(dose.file, 'sop')).toEqual([plan.sop]);
    expect(plan.frame).toBe(cts[0].frame);
    // SEG → the CT series and its instances (referenced series and derivation source images).
    expect(refs(segmentation.file, 'series')).toEqual([cts[0].series]);
    expect([...new Set(refs(segmentation.file, 'sop'))].sort()).toEqual(ctSops);
    expect(segmentation.frame).toBe(cts[0].frame);
    // SR evidence and content → the CT.
    expect(refs(report_.file, 'study')).toEqual([cts[0].study]);
    expect(refs(report_.file, 'series')).toEqual([cts[0].series]);
    expect([...new Set(refs(report_.file, 'sop'))].sort()).toEqual(ctSops);
    // Every object keeps the one study.
    expect(new Set(report.objects.map((o) => o.study)).size).toBe(1);
    expect(report.objects[0].study).not.toBe(ORIGINAL.study);
  });

  it('pixel data is copied byte for byte', () => {
    const original = (name: string) => {
      const b = objects[name];
      return b.subarray(b.length - 32).toString('hex');
    };
    const pixels = report.objects
      .filter((o) => o.pixels)
      .map((o) => o.pixels)
      .sort();
    expect(pixels).toEqual([original('ct-1.dcm'), original('ct-2.dcm')].sort());
  });

  it('is deterministic: a second extraction with the same secret and project gives the same files', async () => {
    const again = await deid(inputs, join(work, 'out2'), secret);
    expect(again.code).toBe(0);
    const read = (dir: string) => Object.fromEntries(filesUnder(dir).map((f) => [f.slice(dir.length), readFileSync(f).toString('hex')]));
    expect(read(join(work, 'out2'))).toEqual(read(join(work, 'out1')));
  }, 120_000);
});
