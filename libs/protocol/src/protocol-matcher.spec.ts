import { CompiledProtocol, inTimeWindow } from './protocol-matcher';
import { protocolSchema } from './protocol.schema';
import type { StudyFacts } from './study-facts';

const facts = (over: Partial<StudyFacts> = {}): StudyFacts => ({
  studyUid: '1.2.3',
  sourceAe: 'MODALITY1',
  sourceSite: 'chu-nord',
  modalities: ['CT', 'SR'],
  bodyParts: ['HEAD'],
  studyDescription: 'CT crâne sans injection',
  procedureCode: 'ACQK001',
  priority: 'emergency',
  at: new Date('2026-12-02T10:00:00Z'), // a Wednesday, 11:00 in Paris
  ...over,
});

const protocol = (rules: unknown[]) => new CompiledProtocol(protocolSchema.parse({ id: 'p', name: 'p', rules }), 'Europe/Paris');

describe('CompiledProtocol', () => {
  it('matches on every criterion, case-insensitively, and routes to distinct destinations', () => {
    const p = protocol([
      {
        name: 'head',
        match: {
          sourceSites: ['CHU-NORD'],
          sourceAes: ['modality1'],
          modalities: ['ct'],
          bodyParts: ['head', 'brain'],
          studyDescription: 'cr[aâ]ne',
          procedureCodes: ['ACQK001'],
          priorities: ['emergency'],
        },
        actions: { route: [{ destination: 'A' }, { destination: 'B' }] },
      },
      { name: 'all', actions: { route: [{ destination: 'A' }] } },
    ]);
    expect(p.destinations(facts())).toEqual(['A', 'B']);
    expect(p.decide(facts({ priority: 'routine' })).map((d) => d.rule)).toEqual(['all']);
    expect(p.decide(facts({ bodyParts: [] })).map((d) => d.rule)).toEqual(['all']);
    expect(p.decide(facts({ studyDescription: null })).map((d) => d.rule)).toEqual(['all']);
    expect(p.decide(facts({ sourceSite: null })).map((d) => d.rule)).toEqual(['all']);
  });

  it('stops at a matching rule marked stop', () => {
    const p = protocol([
      { name: 'first', match: { modalities: ['CT'] }, actions: { route: [{ destination: 'A' }] }, stop: true },
      { name: 'second', actions: { route: [{ destination: 'B' }] } },
    ]);
    expect(p.destinations(facts())).toEqual(['A']);
    expect(p.destinations(facts({ modalities: ['MR'] }))).toEqual(['B']);
  });
});

describe('inTimeWindow', () => {
  const w = (from: string, to: string, days?: string[]) => ({ from, to, days: days as any, timeZone: 'Europe/Paris' });
  it('reads the window in its zone, days included', () => {
    const wed11 = new Date('2026-12-02T10:00:00Z');
    expect(inTimeWindow(w('08:00', '18:00'), wed11, 'UTC')).toBe(true);
    expect(inTimeWindow(w('08:00', '11:00'), wed11, 'UTC')).toBe(false);
    expect(inTimeWindow(w('08:00', '18:00', ['sat', 'sun']), wed11, 'UTC')).toBe(false);
  });
  it('runs over midnight with the days of the start', () => {
    const sat0130 = new Date('2026-12-05T00:30:00Z'); // Saturday 01:30 in Paris
    expect(inTimeWindow(w('20:00', '08:00', ['fri']), sat0130, 'UTC')).toBe(true);
    expect(inTimeWindow(w('20:00', '08:00', ['sat']), sat0130, 'UTC')).toBe(false);
    expect(inTimeWindow(w('20:00', '08:00'), new Date('2026-12-05T12:00:00Z'), 'UTC')).toBe(false);
  });
});
