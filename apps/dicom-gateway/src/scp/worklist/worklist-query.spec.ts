import { InvalidMatchKeyError } from '@krypton/catalog';
import { buildWorklistQuery, MAX_WORKLIST_RESULTS } from '@krypton/pathway';
import { parseWorklistIdentifier } from './worklist-find';

const sps = (item: Record<string, unknown>) => parseWorklistIdentifier({ ScheduledProcedureStepSequence: [item] }).conditions;
const where = (text: string) => text.slice(text.indexOf(' WHERE ') + 7, text.indexOf(' ORDER BY'));

describe('worklist query', () => {
  it('has no WHERE for universal matching, and asks for one row more than the ceiling', () => {
    const q = buildWorklistQuery([], 'Europe/Paris');
    expect(q.text).not.toContain(' WHERE ');
    expect(q.values).toEqual(['Europe/Paris', MAX_WORKLIST_RESULTS + 1]);
  });

  it('matches a scheduled date as the local day, so that the (ae_title, scheduled_at) index serves it', () => {
    const q = buildWorklistQuery(sps({ ScheduledStationAETitle: 'MODALITY1', ScheduledProcedureStepStartDate: '20261201' }), 'Europe/Paris');
    expect(where(q.text)).toBe('w.ae_title = $2 AND (w.scheduled_at >= ($3::date::timestamp AT TIME ZONE $1) AND w.scheduled_at < (($4::date + 1)::timestamp AT TIME ZONE $1))');
    expect(q.values.slice(0, 4)).toEqual(['Europe/Paris', 'MODALITY1', '20261201', '20261201']);
  });

  it('takes open date ranges', () => {
    expect(where(buildWorklistQuery(sps({ ScheduledProcedureStepStartDate: '20261201-' }), 'UTC').text)).toBe('(w.scheduled_at >= ($2::date::timestamp AT TIME ZONE $1))');
    expect(where(buildWorklistQuery(sps({ ScheduledProcedureStepStartDate: '-20261201' }), 'UTC').text)).toBe('(w.scheduled_at < (($2::date + 1)::timestamp AT TIME ZONE $1))');
  });

  it('matches a start time to the minute or hour given, and time ranges', () => {
    const single = buildWorklistQuery(sps({ ScheduledProcedureStepStartTime: '0930' }), 'UTC');
    expect(single.values.slice(1, 3)).toEqual(['093000', '093059']);
    const range = buildWorklistQuery(sps({ ScheduledProcedureStepStartTime: '08-12:30' }), 'UTC');
    expect(range.values.slice(1, 3)).toEqual(['080000', '123059']);
    expect(where(range.text)).toContain("to_char(w.scheduled_at AT TIME ZONE $1, 'HH24MISS') >= $2");
  });

  it('refuses malformed dates and times (C-FIND 0xA900)', () => {
    for (const bad of ['2026120', '20261301', '20260230', '20261201-20261202-20261203', '-', 'today']) {
      expect(() => buildWorklistQuery(sps({ ScheduledProcedureStepStartDate: bad }), 'UTC')).toThrow(InvalidMatchKeyError);
    }
    for (const bad of ['25', '0975', '09.5', 'noon']) {
      expect(() => buildWorklistQuery(sps({ ScheduledProcedureStepStartTime: bad }), 'UTC')).toThrow(InvalidMatchKeyError);
    }
  });

  it('matches patient names case-insensitively with wildcards, as family^given', () => {
    const q = buildWorklistQuery(parseWorklistIdentifier({ PatientName: [{ Alphabetic: 'HÉL*' }] }).conditions, 'UTC');
    expect(where(q.text)).toBe("lower((w.patient->>'familyName' || coalesce('^' || nullif(w.patient->>'givenName', ''), ''))) LIKE $2");
    expect(q.values[1]).toBe('hél%');
  });

  it('matches a Patient ID against the INS and every local identifier', () => {
    const q = buildWorklistQuery(parseWorklistIdentifier({ PatientID: 'IPP-1' }).conditions, 'UTC');
    expect(where(q.text)).toMatch(/^EXISTS \(SELECT 1 FROM \(SELECT w\.patient->>'ins' AS v UNION ALL SELECT i->>'value' .*\) x WHERE x\.v = \$2\)$/);
  });

  it('matches a Patient ID with its issuer by the patient-matching rule, and the INS with the INS authority', () => {
    const local = parseWorklistIdentifier({ PatientID: 'DUP-1', IssuerOfPatientID: 'CHU-NORD' });
    expect(local.unmatched).toEqual([]);
    const q = buildWorklistQuery(local.conditions, 'UTC');
    expect(where(q.text)).toMatch(/^EXISTS \(SELECT 1 FROM \(SELECT i->>'value' AS v, i->>'issuer' AS iss .* UNION ALL SELECT NULL, NULL\) x WHERE \(x\.v = \$2 AND x\.iss = \$3\)\)$/);
    expect(q.values.slice(1, 3)).toEqual(['DUP-1', 'CHU-NORD']);
    const qualified = parseWorklistIdentifier({ PatientID: 'DUP-1', IssuerOfPatientIDQualifiersSequence: [{ UniversalEntityID: 'CLINIQUE-SUD' }] });
    expect(qualified.unmatched).toEqual([]);
    expect(buildWorklistQuery(qualified.conditions, 'UTC').values.slice(1, 3)).toEqual(['DUP-1', 'CLINIQUE-SUD']);
    const ins = buildWorklistQuery(parseWorklistIdentifier({ PatientID: '279035121518989', IssuerOfPatientID: '1.2.250.1.213.1.4.8' }).conditions, 'UTC');
    expect(where(ins.text)).toContain("((w.patient->>'ins') = $2 OR (x.v = $3 AND x.iss = ANY($4)))");
    // A wildcard is a search: string matching across identifiers, the issuer a return key.
    expect(parseWorklistIdentifier({ PatientID: 'DUP*', IssuerOfPatientID: 'CHU-NORD' }).unmatched).toEqual(['IssuerOfPatientID']);
  });

  it('matches lists of UIDs and the SCHEDULED status', () => {
    const q = buildWorklistQuery(parseWorklistIdentifier({ StudyInstanceUID: ['1.2.3', '1.2.4'], ScheduledProcedureStepSequence: [{ ScheduledProcedureStepStatus: 'SCHEDULED' }] }).conditions, 'UTC');
    expect(where(q.text)).toBe("w.study_instance_uid = ANY($2) AND 'SCHEDULED' = $3");
    expect(q.values.slice(1, 3)).toEqual([['1.2.3', '1.2.4'], 'SCHEDULED']);
  });
});
