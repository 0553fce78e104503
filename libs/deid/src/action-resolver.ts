import { DeidOption, ProfileAction, ProfileRow } from './table/profile-table';

/** What the walk does to one element once Options and the compound codes are resolved. */
export type ConcreteAction = 'D' | 'Z' | 'X' | 'K' | 'C' | 'U';

/**
 * Precedence when two chosen Options both speak for a row: the one that protects more wins.
 * In the 2023b table the only such pairs are K against C (e.g. Allergies: Retain Patient
 * Characteristics C, Clean Descriptors C agree; Device identity K vs dates C), so this
 * only matters for future editions.
 */
const PROTECTION: Record<ConcreteAction, number> = { X: 5, Z: 4, D: 3, U: 2, C: 1, K: 0 };

/**
 * The compound codes of Table E.1-1a depend on the attribute's Type in the IOD at hand, which
 * the engine does not model per IOD; it takes the most conformant choice, which never carries
 * the original value either: Z/D and X/D and X/Z/D become D (a dummy keeps a Type 1 attribute
 * valid), X/Z becomes Z, and X/Z/U* becomes U (keep the sequence, remap the UIDs within it).
 */
const COMPOUND: Record<ProfileAction, ConcreteAction> = {
  D: 'D',
  Z: 'Z',
  X: 'X',
  K: 'K',
  C: 'C',
  U: 'U',
  'Z/D': 'D',
  'X/Z': 'Z',
  'X/D': 'D',
  'X/Z/D': 'D',
  'X/Z/U*': 'U',
};

/**
 * The action for a row under the chosen Options: "A requirement for an Option, when implemented,
 * overrides any requirement for the underlying Profile" (PS3.15 E.1.1).
 */
export function resolveAction(row: ProfileRow, options: ReadonlySet<DeidOption>): ConcreteAction {
  let chosen: ConcreteAction | undefined;
  for (const [option, action] of Object.entries(row.options) as [DeidOption, ProfileAction][]) {
    if (!options.has(option)) continue;
    const concrete = COMPOUND[action];
    if (chosen === undefined || PROTECTION[concrete] > PROTECTION[chosen]) chosen = concrete;
  }
  return chosen ?? COMPOUND[row.basic];
}
