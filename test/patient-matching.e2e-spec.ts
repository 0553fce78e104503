import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPart10 } from '@krypton/dicom-codec';
import { dcmtk, findResults } from './support/dcmtk';
import { Hub } from './support/hub';
import { OrthancPeer } from './support/orthanc';
import { sopsOf, TestStudy, writeTestStudy } from './support/patient-objects';
import { freePort } from './support/ports';
import { waitFor } from './support/wait-for';

jest.setTimeout(180_000);

const INS = '180017512345678';
const INS_AUTHORITY = '1.2.250.1.213.1.4.8';
const AMBIGUOUS = 'Patient ID DUP-1 is ambiguous: give the Issuer of Patient ID';

type Model = 'patient-root' | 'study-root';
/** What a retrieve must deliver: exactly these SOP Instance UIDs, or a refusal with the ambiguity comment. */
type Expected = { readonly sops: () => string[] } | 'ambiguous';

interface RetrieveCase {
  readonly name: string;
  readonly model: Model;
  readonly level: 'PATIENT' | 'STUDY' | 'SERIES' | 'IMAGE';
  readonly keys: () => string[];
  readonly callingAe?: string;
  /** More of the identifier as dcmdump text, sent as a query file (dump2dcm). */
  readonly dump?: readonly string[];
  readonly expected: Expected;
}

/**
 * Issue #15: two sites number two different patients DUP-1. Every door that selects by patient
 * (C-MOVE and C-GET at PATIENT, STUDY and SERIES level in both information models, C-FIND,
 * QIDO-RS, the dose history) must deliver the patient the keys designate, refuse a retrieve whose
 * Patient ID alone names both, and apply a calling AE's default issuer when it has one. The real
 * hub, dcmtk movescu/getscu/findscu, and Orthanc as the move destination (what arrived is read
 * from Orthanc's REST API).
 */
describe('patient matching across issuers (issue #15: colliding local Patient IDs)', () => {
  let hub: Hub;
  let orthanc: OrthancPeer;
  /** NORD^ALICE, DUP-1 / CHU-NORD, with an INS: study N (series Na of 2, Nb of 1). */
  let nord: TestStudy;
  /** SUD^BERNARD, DUP-1 / CLINIQUE-SUD: study S (2 instances), and study Q whose issuer is only in the qualifiers sequence. */
  let sud: TestStudy;
  let sudQualified: TestStudy;

  beforeAll(async () => {
    const [dicomPort, httpPort] = await Promise.all([freePort(), freePort()]);
    hub = new Hub({
      name: 'patient-key',
      redisDb: 12,
      // The default issuer's application is logged at info.
      env: { LOG_LEVEL: 'info' },
      aes: [
        { name: 'ORTHANC', aeTitle: 'ORTHANC', site: 'chu-nord', host: '127.0.0.1', port: dicomPort, kind: 'pacs' },
        // A CHU Nord workstation whose bare Patient IDs are the CHU's numbers.
        { aeTitle: 'WS-NORD', site: 'chu-nord', kind: 'workstation', defaultIssuerOfPatientId: 'CHU-NORD' },
      ],
    });
    await hub.start();
    orthanc = new OrthancPeer(join(hub.dir, 'orthanc'), dicomPort, httpPort);
    await orthanc.start();
    const objects = join(hub.dir, 'objects');
    nord = writeTestStudy(join(objects, 'nord'), { name: 'NORD^ALICE', patientId: 'DUP-1', issuer: 'CHU-NORD', ins: INS }, [2, 1]);
    sud = writeTestStudy(join(objects, 'sud'), { name: 'SUD^BERNARD', patientId: 'DUP-1', issuer: 'CLINIQUE-SUD' }, [2]);
    sudQualified = writeTestStudy(join(objects, 'sud-q'), { name: 'SUD^BERNARD', patientId: 'DUP-1', issuerUniversalId: 'CLINIQUE-SUD' }, [1]);
    const files = [...nord.files, ...sud.files, ...sudQualified.files];
    const r = dcmtk('storescu', [...hub.scu('MODALITY1'), ...files]);
    expect(r.status).toBe(0);
    await waitFor('test objects indexed', async () => Number((await hub.sql<{ n: string }>('SELECT count(*) AS n FROM instance'))[0].n) === files.length);
  });

  afterAll(async () => {
    await orthanc?.stop();
    await hub?.stop();
  });

  it('files the two patients apart, the qualifiers-only object under its Universal Entity ID, and the INS on NORD^ALICE', async () => {
    const rows = await hub.sql('SELECT p.patient_id, p.issuer, p.name, p.ins, count(st.id)::int AS studies FROM patient p JOIN study st ON st.patient_fk = p.id GROUP BY p.id ORDER BY p.issuer');
    expect(rows).toEqual([
      { patient_id: 'DUP-1', issuer: 'CHU-NORD', name: 'NORD^ALICE', ins: INS, studies: 1 },
      { patient_id: 'DUP-1', issuer: 'CLINIQUE-SUD', name: 'SUD^BERNARD', ins: null, studies: 2 },
    ]);
  });

  /** The query file of a case's `dump` lines, as arguments for movescu/getscu. */
  let queryFiles = 0;
  function queryFile(c: RetrieveCase): string[] {
    if (!c.dump) return [];
    const base = join(hub.dir, `query-${++queryFiles}`);
    writeFileSync(`${base}.dump`, c.dump.join('\n') + '\n');
    const made = dcmtk('dump2dcm', ['+te', `${base}.dump`, `${base}.dcm`]);
    expect(made.stderr).not.toMatch(/^E:/m);
    return [`${base}.dcm`];
  }

  const patientKeys = (model: Model, level: string, ...keys: string[]) => [model === 'patient-root' ? '-P' : '-S', '-k', `QueryRetrieveLevel=${level}`, ...keys.flatMap((k) => ['-k', k])];

  const retrieveCases: RetrieveCase[] = [
    // PATIENT level (patient root only: the study root has no patient level).
    { name: 'Patient ID and issuer CHU-NORD', model: 'patient-root', level: 'PATIENT', keys: () => ['PatientID=DUP-1', 'IssuerOfPatientID=CHU-NORD'], expected: { sops: () => sopsOf(nord) } },
    {
      name: 'Patient ID and issuer CLINIQUE-SUD',
      model: 'patient-root',
      level: 'PATIENT',
      keys: () => ['PatientID=DUP-1', 'IssuerOfPatientID=CLINIQUE-SUD'],
      expected: { sops: () => sopsOf(sud, sudQualified) },
    },
    {
      name: 'issuer as the qualifiers sequence Universal Entity ID',
      model: 'patient-root',
      level: 'PATIENT',
      keys: () => ['PatientID=DUP-1'],
      // movescu's -k takes no sequence path: the sequence comes in a query file.
      dump: [
        '(0010,0024) SQ (Sequence with explicit length #=1)',
        '  (fffe,e000) na (Item with explicit length #=1)',
        '    (0040,0032) UT [CLINIQUE-SUD]',
        '  (fffe,e00d) na (ItemDelimitationItem)',
        '(fffe,e0dd) na (SequenceDelimitationItem)',
      ],
      expected: { sops: () => sopsOf(sud, sudQualified) },
    },
    { name: 'Patient ID without issuer', model: 'patient-root', level: 'PATIENT', keys: () => ['PatientID=DUP-1'], expected: 'ambiguous' },
    {
      name: 'the INS (Patient ID with the INS authority)',
      model: 'patient-root',
      level: 'PATIENT',
      keys: () => [`PatientID=${INS}`, `IssuerOfPatientID=${INS_AUTHORITY}`],
      expected: { sops: () => sopsOf(nord) },
    },
    {
      name: 'Patient ID without issuer from an AE whose default issuer is CHU-NORD',
      model: 'patient-root',
      level: 'PATIENT',
      keys: () => ['PatientID=DUP-1'],
      callingAe: 'WS-NORD',
      expected: { sops: () => sopsOf(nord) },
    },
    // STUDY level.
    { name: 'Patient ID without issuer and no study', model: 'study-root', level: 'STUDY', keys: () => ['PatientID=DUP-1', 'StudyInstanceUID='], expected: 'ambiguous' },
    {
      name: 'issuer CLINIQUE-SUD, no study',
      model: 'study-root',
      level: 'STUDY',
      keys: () => ['PatientID=DUP-1', 'IssuerOfPatientID=CLINIQUE-SUD', 'StudyInstanceUID='],
      expected: { sops: () => sopsOf(sud, sudQualified) },
    },
    {
      name: "NORD's study with a bare Patient ID (the study designates one patient)",
      model: 'study-root',
      level: 'STUDY',
      keys: () => ['PatientID=DUP-1', `StudyInstanceUID=${nord.uid}`],
      expected: { sops: () => sopsOf(nord) },
    },
    {
      name: "NORD's study asked as CLINIQUE-SUD's patient",
      model: 'patient-root',
      level: 'STUDY',
      keys: () => ['PatientID=DUP-1', 'IssuerOfPatientID=CLINIQUE-SUD', `StudyInstanceUID=${nord.uid}`],
      expected: { sops: () => [] },
    },
    { name: "both patients' studies with a bare Patient ID", model: 'study-root', level: 'STUDY', keys: () => ['PatientID=DUP-1', `StudyInstanceUID=${nord.uid}\\${sud.uid}`], expected: 'ambiguous' },
    {
      name: "SUD's study with its issuer",
      model: 'patient-root',
      level: 'STUDY',
      keys: () => ['PatientID=DUP-1', 'IssuerOfPatientID=CLINIQUE-SUD', `StudyInstanceUID=${sud.uid}`],
      expected: { sops: () => sopsOf(sud) },
    },
    {
      name: 'Patient ID without issuer, default issuer CHU-NORD',
      model: 'study-root',
      level: 'STUDY',
      keys: () => ['PatientID=DUP-1', 'StudyInstanceUID='],
      callingAe: 'WS-NORD',
      expected: { sops: () => sopsOf(nord) },
    },
    // SERIES level.
    {
      name: "NORD's second series with issuer CHU-NORD",
      model: 'study-root',
      level: 'SERIES',
      keys: () => ['PatientID=DUP-1', 'IssuerOfPatientID=CHU-NORD', `StudyInstanceUID=${nord.uid}`, `SeriesInstanceUID=${nord.series[1].uid}`],
      expected: { sops: () => sopsOf(nord.series[1]) },
    },
    {
      name: "NORD's series asked as CLINIQUE-SUD's patient",
      model: 'patient-root',
      level: 'SERIES',
      keys: () => ['PatientID=DUP-1', 'IssuerOfPatientID=CLINIQUE-SUD', `StudyInstanceUID=${nord.uid}`, `SeriesInstanceUID=${nord.series[0].uid}`],
      expected: { sops: () => [] },
    },
    {
      name: "NORD's first series by INS",
      model: 'patient-root',
      level: 'SERIES',
      keys: () => [`PatientID=${INS}`, `IssuerOfPatientID=${INS_AUTHORITY}`, `StudyInstanceUID=${nord.uid}`, `SeriesInstanceUID=${nord.series[0].uid}`],
      expected: { sops: () => sopsOf(nord.series[0]) },
    },
    {
      name: "both patients' series with a bare Patient ID",
      model: 'study-root',
      level: 'SERIES',
      keys: () => ['PatientID=DUP-1', `StudyInstanceUID=${nord.uid}\\${sud.uid}`, `SeriesInstanceUID=${nord.series[0].uid}\\${sud.series[0].uid}`],
      expected: 'ambiguous',
    },
    // IMAGE level: the instance UIDs are unique keys; the patient keys still decide whose they are.
    {
      name: "one of NORD's instances with issuer CHU-NORD",
      model: 'study-root',
      level: 'IMAGE',
      keys: () => ['PatientID=DUP-1', 'IssuerOfPatientID=CHU-NORD', `StudyInstanceUID=${nord.uid}`, `SeriesInstanceUID=${nord.series[0].uid}`, `SOPInstanceUID=${nord.series[0].sops[1]}`],
      expected: { sops: () => [nord.series[0].sops[1]] },
    },
    {
      name: "NORD's instance asked as CLINIQUE-SUD's patient",
      model: 'patient-root',
      level: 'IMAGE',
      keys: () => ['PatientID=DUP-1', 'IssuerOfPatientID=CLINIQUE-SUD', `StudyInstanceUID=${nord.uid}`, `SeriesInstanceUID=${nord.series[0].uid}`, `SOPInstanceUID=${nord.series[0].sops[0]}`],
      expected: { sops: () => [] },
    },
    {
      name: "SUD's qualifiers-only instance by the qualifiers sequence",
      model: 'patient-root',
      level: 'IMAGE',
      keys: () => ['PatientID=DUP-1', `StudyInstanceUID=${sudQualified.uid}`, `SeriesInstanceUID=${sudQualified.series[0].uid}`, `SOPInstanceUID=${sudQualified.series[0].sops[0]}`],
      dump: [
        '(0010,0024) SQ (Sequence with explicit length #=1)',
        '  (fffe,e000) na (Item with explicit length #=1)',
        '    (0040,0032) UT [CLINIQUE-SUD]',
        '  (fffe,e00d) na (ItemDelimitationItem)',
        '(fffe,e0dd) na (SequenceDelimitationItem)',
      ],
      expected: { sops: () => sopsOf(sudQualified) },
    },
    {
      name: "both patients' instances with a bare Patient ID",
      model: 'study-root',
      level: 'IMAGE',
      keys: () => [
        'PatientID=DUP-1',
        `StudyInstanceUID=${nord.uid}\\${sud.uid}`,
        `SeriesInstanceUID=${nord.series[0].uid}\\${sud.series[0].uid}`,
        `SOPInstanceUID=${nord.series[0].sops[0]}\\${sud.series[0].sops[0]}`,
      ],
      expected: 'ambiguous',
    },
  ];

  /** The DIMSE status of the final response, as dcmtk's -d log prints it. */
  function finalStatus(out: string): string {
    const statuses = [...out.matchAll(/DIMSE Status\s+: (0x[0-9a-f]{4})/gi)].map((m) => m[1].toLowerCase());
    return statuses[statuses.length - 1] ?? 'none';
  }

  /** Refused with 0xA900 and the Error Comment that says what to add. */
  function expectRefused(out: string): void {
    expect(finalStatus(out)).toBe('0xa900');
    expect(out).toContain(AMBIGUOUS);
  }

  describe.each(retrieveCases.map((c) => [`${c.model} ${c.level}: ${c.name}`, c] as const))('C-MOVE to Orthanc, %s', (_title, c) => {
    it(c.expected === 'ambiguous' ? 'is refused and sends nothing' : 'delivers exactly the designated instances', async () => {
      await orthanc.clear();
      const r = dcmtk('movescu', ['-d', ...hub.scu(c.callingAe ?? 'MODALITY1'), '-aem', 'ORTHANC', ...patientKeys(c.model, c.level, ...c.keys()), ...queryFile(c)]);
      const out = r.stdout + r.stderr;
      if (c.expected === 'ambiguous') {
        expectRefused(out);
        expect(await orthanc.sopInstanceUids()).toEqual([]);
      } else {
        expect(finalStatus(out)).toBe('0x0000');
        expect((await orthanc.sopInstanceUids()).sort()).toEqual(c.expected.sops());
      }
    });
  });

  /** SOP Instance UIDs of the files getscu wrote. */
  function received(dir: string): string[] {
    return readdirSync(dir)
      .map((f) => readPart10(readFileSync(join(dir, f)), { untilPixelData: true }).dataset.SOPInstanceUID as string)
      .sort();
  }

  // C-GET: the same rule over the same association, a case per level and per outcome.
  const getCases = retrieveCases.filter((c) =>
    [
      'Patient ID and issuer CHU-NORD',
      'issuer as the qualifiers sequence Universal Entity ID',
      'Patient ID without issuer',
      'the INS (Patient ID with the INS authority)',
      'Patient ID without issuer, default issuer CHU-NORD',
      "SUD's study with its issuer",
      "NORD's study asked as CLINIQUE-SUD's patient",
      "NORD's second series with issuer CHU-NORD",
      "both patients' series with a bare Patient ID",
      "one of NORD's instances with issuer CHU-NORD",
      "NORD's instance asked as CLINIQUE-SUD's patient",
      "SUD's qualifiers-only instance by the qualifiers sequence",
      "both patients' instances with a bare Patient ID",
    ].includes(c.name),
  );
  it('has a C-GET case for every level and outcome', () => expect(getCases).toHaveLength(13));

  describe.each(getCases.map((c) => [`${c.model} ${c.level}: ${c.name}`, c] as const))('C-GET, %s', (_title, c) => {
    it(c.expected === 'ambiguous' ? 'is refused and returns nothing' : 'returns exactly the designated instances', () => {
      const dir = mkdtempSync(join(hub.dir, 'getscu-'));
      const r = dcmtk('getscu', ['-d', ...hub.scu(c.callingAe ?? 'MODALITY1'), '-od', dir, ...patientKeys(c.model, c.level, ...c.keys()), ...queryFile(c)]);
      const out = r.stdout + r.stderr;
      if (c.expected === 'ambiguous') {
        expectRefused(out);
        expect(received(dir)).toEqual([]);
      } else {
        expect(finalStatus(out)).toBe('0x0000');
        expect(received(dir)).toEqual(c.expected.sops());
      }
    });
  });

  it("says in the gateway's log that the calling AE's default issuer was applied", () => {
    const log = readFileSync(join(hub.dir, 'dicom-gateway.log'), 'utf8');
    const applied = log
      .split('\n')
      .filter((l) => l.includes("applied the calling AE's default issuer"))
      .map((l) => JSON.parse(l));
    expect(applied.length).toBeGreaterThanOrEqual(2);
    expect(applied[0]).toMatchObject({ callingAe: 'WS-NORD', patient: 'CHU-NORD|DUP-1', ambiguousAmong: ['CHU-NORD', 'CLINIQUE-SUD'] });
    // The refusals are logged with the issuers that made the ID ambiguous (not in the Error Comment).
    expect(log).toMatch(/"issuers":\["CHU-NORD","CLINIQUE-SUD"\].*C-MOVE failed/);
  });

  describe('C-FIND (findscu) answers every match, each with its issuer', () => {
    const find = (model: Model, level: string, ...keys: string[]) => {
      const r = dcmtk('findscu', [...hub.scu(), ...patientKeys(model, level, ...keys)]);
      expect(r.status).toBe(0);
      return findResults(r.stdout + r.stderr);
    };

    it('PATIENT level without issuer: both patients, told apart by Issuer of Patient ID', () => {
      const rows = find('patient-root', 'PATIENT', 'PatientID=DUP-1', 'IssuerOfPatientID', 'PatientName');
      expect(rows.map((r) => [r.PatientName, r.PatientID, r.IssuerOfPatientID]).sort()).toEqual([
        ['NORD^ALICE', 'DUP-1', 'CHU-NORD'],
        ['SUD^BERNARD', 'DUP-1', 'CLINIQUE-SUD'],
      ]);
    });

    it('STUDY level without issuer: the three studies, each with its patient issuer', () => {
      const rows = find('study-root', 'STUDY', 'PatientID=DUP-1', 'IssuerOfPatientID', 'StudyInstanceUID');
      expect(rows.map((r) => `${r.StudyInstanceUID} ${r.IssuerOfPatientID}`).sort()).toEqual([`${nord.uid} CHU-NORD`, `${sud.uid} CLINIQUE-SUD`, `${sudQualified.uid} CLINIQUE-SUD`].sort());
    });

    it('with the issuer or the INS: only that patient', () => {
      expect(find('study-root', 'STUDY', 'PatientID=DUP-1', 'IssuerOfPatientID=CHU-NORD', 'StudyInstanceUID').map((r) => r.StudyInstanceUID)).toEqual([nord.uid]);
      expect(find('patient-root', 'PATIENT', 'PatientID=DUP-1', 'IssuerOfPatientID=CLINIQUE-SUD', 'PatientName').map((r) => r.PatientName)).toEqual(['SUD^BERNARD']);
      const byIns = find('patient-root', 'STUDY', `PatientID=${INS}`, `IssuerOfPatientID=${INS_AUTHORITY}`, 'StudyInstanceUID');
      expect(byIns.map((r) => r.StudyInstanceUID)).toEqual([nord.uid]);
      const series = find('study-root', 'SERIES', 'PatientID=DUP-1', 'IssuerOfPatientID=CHU-NORD', `StudyInstanceUID=${nord.uid}`, 'SeriesInstanceUID');
      expect(series.map((r) => r.SeriesInstanceUID).sort()).toEqual(nord.series.map((s) => s.uid).sort());
    });
  });

  describe('Modality Worklist C-FIND (findscu -W)', () => {
    const mwl = (...keys: string[]) => {
      const r = dcmtk('findscu', ['-W', ...hub.scu(), ...['AccessionNumber', 'PatientName', ...keys].flatMap((k) => ['-k', k])]);
      expect(r.status).toBe(0);
      return findResults(r.stdout + r.stderr);
    };

    beforeAll(async () => {
      const patients = [
        { identifiers: [{ value: 'DUP-1', issuer: 'CHU-NORD' }], ins: INS, familyName: 'NORD', givenName: 'ALICE' },
        { identifiers: [{ value: 'DUP-1', issuer: 'CLINIQUE-SUD' }], familyName: 'SUD', givenName: 'BERNARD' },
      ];
      for (const [i, patient] of patients.entries()) {
        const created = await hub.api('/requests', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ patient, referrer: { rpps: '10000000001', name: 'Dr MARTIN' }, procedureCode: 'ZBQK002', priority: 'routine', targetSite: 'chu-nord' }),
        });
        expect(created.status).toBe(201);
        const { id } = (await created.json()) as { id: string };
        const body = JSON.stringify({ site: 'chu-nord', aeTitle: 'MODALITY1', scheduledAt: `2026-12-0${i + 2}T09:30:00+01:00` });
        expect((await hub.api(`/requests/${id}/schedule`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).toBe(200);
      }
    });

    it('without issuer: both patients, each with its Issuer of Patient ID', () => {
      expect(
        mwl('PatientID=DUP-1', 'IssuerOfPatientID')
          .map((r) => `${r.PatientName} ${r.IssuerOfPatientID}`)
          .sort(),
      ).toEqual(['NORD^ALICE 1.2.250.1.213.1.4.8', 'SUD^BERNARD CLINIQUE-SUD']);
    });

    it('with the issuer (or its qualifiers Universal Entity ID) or the INS: only that patient', () => {
      expect(mwl('PatientID=DUP-1', 'IssuerOfPatientID=CHU-NORD').map((r) => r.PatientName)).toEqual(['NORD^ALICE']);
      expect(mwl('PatientID=DUP-1', 'IssuerOfPatientID=CLINIQUE-SUD').map((r) => r.PatientName)).toEqual(['SUD^BERNARD']);
      expect(mwl('PatientID=DUP-1', 'IssuerOfPatientIDQualifiersSequence[0].UniversalEntityID=CLINIQUE-SUD').map((r) => r.PatientName)).toEqual(['SUD^BERNARD']);
      expect(mwl(`PatientID=${INS}`, `IssuerOfPatientID=${INS_AUTHORITY}`).map((r) => r.PatientName)).toEqual(['NORD^ALICE']);
    });
  });

  describe('QIDO-RS and the dose history', () => {
    const qido = async (query: string): Promise<Record<string, { Value?: unknown[] }>[]> => {
      const res = await hub.api(`/dicomweb/studies?${query}`);
      return res.status === 204 ? [] : ((await res.json()) as Record<string, { Value?: unknown[] }>[]);
    };
    const study = (r: Record<string, { Value?: unknown[] }>) => `${r['0020000D'].Value?.[0]} ${r['00100021']?.Value?.[0] ?? ''}`;

    it('without issuer: every match, each with its Issuer of Patient ID', async () => {
      expect((await qido('PatientID=DUP-1')).map(study).sort()).toEqual([`${nord.uid} CHU-NORD`, `${sud.uid} CLINIQUE-SUD`, `${sudQualified.uid} CLINIQUE-SUD`].sort());
    });

    it('with the issuer, the qualifiers Universal Entity ID, or the INS: only that patient', async () => {
      expect((await qido('PatientID=DUP-1&IssuerOfPatientID=CHU-NORD')).map(study)).toEqual([`${nord.uid} CHU-NORD`]);
      expect((await qido('PatientID=DUP-1&00100024.00400032=CLINIQUE-SUD')).map(study).sort()).toEqual([`${sud.uid} CLINIQUE-SUD`, `${sudQualified.uid} CLINIQUE-SUD`].sort());
      expect((await qido(`PatientID=${INS}&IssuerOfPatientID=${INS_AUTHORITY}`)).map(study)).toEqual([`${nord.uid} CHU-NORD`]);
    });

    it('the dose history takes issuer|patientId or the INS, never a bare Patient ID', async () => {
      const nordHistory = await hub.api(`/patients/${encodeURIComponent('CHU-NORD|DUP-1')}/dose-history`);
      expect(nordHistory.status).toBe(200);
      expect(((await nordHistory.json()) as { patients: unknown[] }).patients).toEqual([{ patientId: 'DUP-1', issuer: 'CHU-NORD', ins: INS }]);
      const sudHistory = await hub.api(`/patients/${encodeURIComponent('CLINIQUE-SUD|DUP-1')}/dose-history`);
      expect(((await sudHistory.json()) as { patients: unknown[] }).patients).toEqual([{ patientId: 'DUP-1', issuer: 'CLINIQUE-SUD', ins: null }]);
      const byIns = await hub.api(`/patients/${encodeURIComponent(`${INS_AUTHORITY}|${INS}`)}/dose-history`);
      expect(((await byIns.json()) as { patients: unknown[] }).patients).toEqual([{ patientId: 'DUP-1', issuer: 'CHU-NORD', ins: INS }]);
      const bare = await hub.api('/patients/DUP-1/dose-history');
      expect(bare.status).toBe(422);
    });
  });
});
