import { CompiledProtocol, ProtocolDocument, StudyFacts } from '@krypton/protocol';

export interface SimulatedStudy {
  readonly studyUid: string;
  readonly at: string;
  readonly rules: string[];
  readonly destinations: string[];
  readonly shares: { site?: string; pool?: string }[];
  readonly fetchPriors: boolean;
}

export interface SimulationResult {
  readonly studiesEvaluated: number;
  readonly studiesMatched: number;
  /** Per destination: how many studies would have gone there. */
  readonly byDestination: Record<string, number>;
  readonly matches: SimulatedStudy[];
  /** Rule matching alone (no database): studies per second. */
  readonly matchingPerSecond: number;
}

/** Replays facts through a protocol: what would have gone where. Pure apart from the clock. */
export function simulate(doc: ProtocolDocument, studies: readonly StudyFacts[], defaultTimeZone: string, maxListed = 1000): SimulationResult {
  const compiled = new CompiledProtocol(doc, defaultTimeZone);
  const started = process.hrtime.bigint();
  const decisions = studies.map((f) => compiled.decide(f));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const byDestination: Record<string, number> = {};
  const matches: SimulatedStudy[] = [];
  let matched = 0;
  decisions.forEach((d, i) => {
    if (!d.length) return;
    matched++;
    const destinations = [...new Set(d.flatMap((x) => x.actions.route.map((r) => r.destination)))];
    for (const dest of destinations) byDestination[dest] = (byDestination[dest] ?? 0) + 1;
    if (matches.length < maxListed) {
      matches.push({
        studyUid: studies[i].studyUid,
        at: studies[i].at.toISOString(),
        rules: d.map((x) => x.rule),
        destinations,
        shares: d.flatMap((x) => x.actions.share.map((s) => (s.site ? { site: s.site } : { pool: s.pool }))),
        fetchPriors: d.some((x) => x.actions.fetchPriors),
      });
    }
  });
  return { studiesEvaluated: studies.length, studiesMatched: matched, byDestination, matches, matchingPerSecond: seconds > 0 ? Math.round(studies.length / seconds) : studies.length };
}
