import { CodedConcept, LATERALITY, matches } from './codes';
import { Laterality } from './dose-report';

/** Maps a laterality code (plain or breast-site form, SRT or SCT) to the hub's enumeration. */
export function lateralityOf(code: CodedConcept | null | undefined): Laterality | null {
  if (matches(code, LATERALITY.left)) return 'LEFT';
  if (matches(code, LATERALITY.right)) return 'RIGHT';
  if (matches(code, LATERALITY.both)) return 'BOTH';
  return null;
}
