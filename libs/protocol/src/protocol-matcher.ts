import type { ProtocolActions, ProtocolDocument, ProtocolMatch, TimeWindow, Weekday } from './protocol.schema';
import type { StudyFacts } from './study-facts';

/** One rule that matched, with what it asks for. */
export interface RuleDecision {
  readonly rule: string;
  readonly actions: ProtocolActions;
}

type Predicate = (f: StudyFacts) => boolean;

const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const upper = (xs: readonly string[]) => new Set(xs.map((x) => x.toUpperCase()));

// Intl formatters are costly to build and cheap to use: one per zone for the whole process.
const formatters = new Map<string, Intl.DateTimeFormat>();
function localClock(at: Date, timeZone: string): { day: Weekday; minutes: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  let day = 'sun';
  let hour = 0;
  let minute = 0;
  for (const p of f.formatToParts(at)) {
    if (p.type === 'weekday') day = p.value.toLowerCase().slice(0, 3);
    else if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
  }
  return { day: day as Weekday, minutes: hour * 60 + minute };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** A window whose end is before its start runs over midnight (22:00–06:00); its days are the start's. */
export function inTimeWindow(w: TimeWindow, at: Date, defaultTimeZone: string): boolean {
  const { day, minutes } = localClock(at, w.timeZone ?? defaultTimeZone);
  const from = toMinutes(w.from);
  const to = toMinutes(w.to);
  if (from < to) return (!w.days || w.days.includes(day)) && minutes >= from && minutes < to;
  if (minutes >= from) return !w.days || w.days.includes(day);
  if (minutes < to) return !w.days || w.days.includes(WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7]);
  return false;
}

function compileMatch(m: ProtocolMatch, defaultTimeZone: string): Predicate[] {
  const ps: Predicate[] = [];
  const anyOf = (list: readonly string[] | undefined, pick: (f: StudyFacts) => readonly (string | null)[]) => {
    if (!list) return;
    const set = upper(list);
    ps.push((f) => pick(f).some((v) => v !== null && set.has(v.toUpperCase())));
  };
  anyOf(m.sourceSites, (f) => [f.sourceSite]);
  anyOf(m.sourceAes, (f) => [f.sourceAe]);
  anyOf(m.modalities, (f) => f.modalities);
  anyOf(m.bodyParts, (f) => f.bodyParts);
  anyOf(m.procedureCodes, (f) => [f.procedureCode]);
  if (m.priorities) {
    const set = new Set<string>(m.priorities);
    ps.push((f) => f.priority !== null && set.has(f.priority));
  }
  if (m.studyDescription) {
    const re = new RegExp(m.studyDescription, 'i');
    ps.push((f) => f.studyDescription !== null && re.test(f.studyDescription));
  }
  if (m.timeWindow) {
    const w = m.timeWindow;
    ps.push((f) => inTimeWindow(w, f.at, defaultTimeZone));
  }
  return ps;
}

/** A validated protocol turned into predicates once, so that simulating 100,000 studies compiles nothing. */
export class CompiledProtocol {
  private readonly rules: { name: string; stop: boolean; actions: ProtocolActions; predicates: Predicate[] }[];

  constructor(
    readonly document: ProtocolDocument,
    defaultTimeZone: string,
  ) {
    this.rules = document.rules.map((r) => ({ name: r.name, stop: r.stop, actions: r.actions, predicates: compileMatch(r.match, defaultTimeZone) }));
  }

  /** Rules in document order; a matching rule with `stop` ends the evaluation. */
  decide(facts: StudyFacts): RuleDecision[] {
    const out: RuleDecision[] = [];
    for (const r of this.rules) {
      if (!r.predicates.every((p) => p(facts))) continue;
      out.push({ rule: r.name, actions: r.actions });
      if (r.stop) break;
    }
    return out;
  }

  /** Distinct destinations the matching rules route to, in first-mention order. */
  destinations(facts: StudyFacts): string[] {
    const seen = new Set<string>();
    for (const d of this.decide(facts)) for (const r of d.actions.route) seen.add(r.destination);
    return [...seen];
  }
}
