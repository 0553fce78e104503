import type { NewRequest } from './new-request';
import { RequestValidationError } from './request-errors';
import { checkNewRequest, checkScheduleSlot } from './request-rules';

const cfg = {
  sites: [
    { id: 'chu-nord', name: 'CHU Nord' },
    { id: 'clinique-sud', name: 'Clinique Sud' },
  ],
  aes: [
    { aeTitle: 'MODALITY1', site: 'chu-nord', kind: 'modality' as const },
    { aeTitle: 'PACS1', site: 'chu-nord', kind: 'pacs' as const },
    { name: 'CT-SUD', aeTitle: 'CTSUD01', site: 'clinique-sud', kind: 'modality' as const },
  ],
};

const base: NewRequest = {
  source: 'rest',
  patient: { ins: '279035121518989', identifiers: [], familyName: 'DUPONT' },
  referrer: { name: 'Dr Martin' },
  procedureCode: 'ZBQK002',
  priority: 'routine',
  targetSite: null,
};

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof RequestValidationError) return e.field;
    throw e;
  }
  return '(accepted)';
}

describe('checkNewRequest', () => {
  it('accepts a request with an INS and no target site', () => {
    expect(fieldOf(() => checkNewRequest(base, cfg))).toBe('(accepted)');
  });

  it.each<[Partial<NewRequest>, string]>([
    [{ patient: { identifiers: [], familyName: 'X' } }, 'patient.identifiers'],
    [{ patient: { ins: '12', identifiers: [], familyName: 'X' } }, 'patient.ins'],
    [{ patient: { identifiers: [{ value: 'IPP1', issuer: ' ' }], familyName: 'X' } }, 'patient.identifiers.0.issuer'],
    [{ targetSite: 'atlantis' }, 'targetSite'],
    [{ placerOrderNumber: ' ' }, 'placerOrderNumber'],
  ])('names the field of %j', (patch, field) => {
    expect(fieldOf(() => checkNewRequest({ ...base, ...patch }, cfg))).toBe(field);
  });
});

describe('checkScheduleSlot', () => {
  it('finds a modality AE of the site by AE title or name', () => {
    expect(checkScheduleSlot(cfg, 'chu-nord', 'MODALITY1').aeTitle).toBe('MODALITY1');
    expect(checkScheduleSlot(cfg, 'clinique-sud', 'CT-SUD').aeTitle).toBe('CTSUD01');
  });

  it('refuses an AE of another site, a non-modality AE and an unknown site', () => {
    expect(fieldOf(() => checkScheduleSlot(cfg, 'clinique-sud', 'MODALITY1'))).toBe('aeTitle');
    expect(fieldOf(() => checkScheduleSlot(cfg, 'chu-nord', 'PACS1'))).toBe('aeTitle');
    expect(fieldOf(() => checkScheduleSlot(cfg, 'atlantis', 'MODALITY1'))).toBe('site');
  });
});
