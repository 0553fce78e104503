import { extractDose, extractDoseFromPart10 } from '../extract-dose';
import { syntheticFluoroscopyRdsr, syntheticFluoroscopyRdsrPart10 } from './synthetic-rdsr';

describe('synthetic fluoroscopy RDSR', () => {
  it('round-trips 1,000 events through Part 10 bytes', () => {
    const r = extractDoseFromPart10(syntheticFluoroscopyRdsrPart10({ eventCount: 1000 }));
    expect(r.kind).toBe('PROJECTION');
    expect(r.events).toHaveLength(1000);
    expect(r.totals.eventCount).toBe(1000);
    expect(r.totals.dapTotal_Gy_m2).toBeCloseTo(0.5005, 12); // sum of (i+1)·1e-6, i < 1000
    expect(r.events[999]).toMatchObject({ dap_Gy_m2: 0.001, rpDose_Gy: 0.01 });
    expect(r.warnings).toEqual([]);
  });

  it('extracts from the naturalized data set directly', () => {
    const r = extractDose(syntheticFluoroscopyRdsr({ eventCount: 3, deviceObserverUid: '2.25.42' }));
    expect(r.deviceObserverUid).toBe('2.25.42');
    expect(r.events.map((e) => e.dap_Gy_m2)).toEqual([0.000001, 0.000002, 0.000003]);
  });
});
