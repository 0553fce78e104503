import type { ProtocolStatistics } from '@krypton/dose-registry';
import { alertPatientKey, alertRows } from './dose-alerts.view-model';
import { trendChart, trendQuantity } from './dose-trend.view-model';
import { nrdPlots } from './nrd-plot.view-model';

const summary = (min: number, p25: number, median: number, p75: number, max: number) => ({ min, p25, median, p75, max });
const empty = { min: null, p25: null, median: null, p75: null, max: null };
const row = (over: Partial<ProtocolStatistics>): ProtocolStatistics => ({
  site: 'chu-nord',
  device: '1.2.3',
  manufacturer: 'ACME',
  model: 'CT-1',
  stationName: 'SCAN1',
  modality: 'CT',
  protocol: 'Head',
  events: 40,
  patients: 35,
  ctdiVol_mGy: summary(30, 40, 50, 60, 70),
  dlp_mGy_cm: summary(500, 700, 800, 900, 1200),
  dap_mGy_cm2: empty,
  agd_mGy: empty,
  nrd: { category: 'ct-head', label: 'Encéphale', quantity: 'ctdiVol_mGy', nrd: 58, vgd: 45, median: 50, medianAboveNrd: false, medianAboveVgd: true, enoughPatients: true, minPatients: 30 },
  ...over,
});
const words = { nrd: 'NRD', vgd: 'VGD', axis: (u: string) => `CTDIvol (${u})` };

describe('NRD box plots', () => {
  it('groups device × protocol rows by NRD category, boxes of the NRD quantity, the NRD and VGD as lines', () => {
    const plots = nrdPlots(
      [row({}), row({ device: '9.9', stationName: 'SCAN2' }), row({ protocol: 'Knee', nrd: null }), row({ protocol: 'Bone scan', nrd: { ...row({}).nrd!, category: 'nm', quantity: 'activity_MBq' } })],
      words,
    );
    expect(plots).toHaveLength(1);
    const [p] = plots;
    expect(p).toMatchObject({ category: 'ct-head', quantity: 'ctdiVol_mGy', unit: 'mGy', nrd: 58 });
    expect(p.boxes.map((b) => b.label)).toEqual(['SCAN1 — Head', 'SCAN2 — Head']);
    const chart = p.chart as any;
    expect(chart.type).toBe('boxplot');
    expect(chart.data.datasets[0].data[0]).toEqual({ min: 30, q1: 40, median: 50, q3: 60, max: 70 });
    expect(chart.options.plugins.annotation.annotations.nrd).toMatchObject({ yMin: 58, yMax: 58, label: { content: 'NRD 58 mGy' } });
    expect(chart.options.plugins.annotation.annotations.vgd.label.content).toBe('VGD 45 mGy');
  });

  it('leaves out a row without the quantity and says when too few patients forbid a verdict', () => {
    const [p] = nrdPlots([row({ ctdiVol_mGy: empty }), row({ patients: 3, nrd: { ...row({}).nrd!, enoughPatients: false, medianAboveNrd: null } })], words);
    expect(p.boxes).toHaveLength(1);
    expect(p.boxes[0]).toMatchObject({ enoughPatients: false, aboveNrd: null });
  });
});

describe('dose trend', () => {
  const months = [
    { month: '2026-10', events: 3, patients: 3, ctdiVol_mGy: null, dlp_mGy_cm: 700, dap_mGy_cm2: null, agd_mGy: null },
    { month: '2026-11', events: 2, patients: 2, ctdiVol_mGy: 50, dlp_mGy_cm: 710, dap_mGy_cm2: null, agd_mGy: null },
  ];
  it('shows the NRD quantity, else the first one present, with the NRD line', () => {
    expect(trendQuantity(months, 'dlp_mGy_cm')).toBe('dlp_mGy_cm');
    expect(trendQuantity(months, null)).toBe('ctdiVol_mGy');
    expect(trendQuantity([], null)).toBeNull();
    const chart = trendChart(months, 'dlp_mGy_cm', 1000, { median: 'Médiane', nrd: 'NRD' }) as any;
    expect(chart.data.datasets[0].data).toEqual([700, 710]);
    expect(chart.options.plugins.annotation.annotations.nrd.yMin).toBe(1000);
    expect((trendChart(months, 'dlp_mGy_cm', null, { median: 'M', nrd: 'N' }) as any).options.plugins.annotation.annotations).toEqual({});
  });
});

describe('alert queue', () => {
  const alert = {
    id: 'a1',
    state: 'open',
    openedAt: '2026-12-05T10:00:00Z',
    site: 'chu-nord',
    quantity: 'ctdiVol_mGy',
    value: '120',
    threshold: '80',
    unit: 'mGy',
    ins: null,
    issuer: 'CHU',
    patientId: '42',
    studyUid: '1.2',
    reminders: 1,
  };
  it('offers the review to a physicist on an open alert and the follow-up once reviewed', () => {
    expect(alertRows([alert], ['physicist'])[0]).toMatchObject({ next: 'review', overPercent: 50, patientKey: 'CHU|42', value: 120 });
    expect(alertRows([{ ...alert, state: 'reviewed' }], ['radiologist'])[0].next).toBe('follow-up');
    expect(alertRows([alert], ['radiologist'])[0].next).toBeNull();
    expect(alertRows([{ ...alert, state: 'closed' }], ['physicist'])[0].next).toBeNull();
  });
  it('keys the patient by INS when known', () => {
    expect(alertPatientKey({ ins: '180017512345678', issuer: 'X', patientId: '1' })).toBe('180017512345678');
  });
});
