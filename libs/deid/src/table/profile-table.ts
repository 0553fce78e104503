/**
 * The shape of PS3.15 Table E.1-1 as the engine uses it: one row per attribute (or tag pattern),
 * the Basic Profile action and the action of each Option that says something about it.
 */

/** Action codes of Table E.1-1a, including the conformance-dependent compounds. */
export type ProfileAction = 'D' | 'Z' | 'X' | 'K' | 'C' | 'U' | 'Z/D' | 'X/Z' | 'X/D' | 'X/Z/D' | 'X/Z/U*';

export const PROFILE_ACTIONS: readonly ProfileAction[] = ['D', 'Z', 'X', 'K', 'C', 'U', 'Z/D', 'X/Z', 'X/D', 'X/Z/D', 'X/Z/U*'];

/** The Options of Table E.1-1's columns, by the names a project uses for them. */
export type DeidOption =
  | 'retainSafePrivate'
  | 'retainUids'
  | 'retainDeviceIdentity'
  | 'retainInstitutionIdentity'
  | 'retainPatientCharacteristics'
  | 'retainLongitudinalFullDates'
  | 'retainLongitudinalModifiedDates'
  | 'cleanDescriptors'
  | 'cleanStructuredContent'
  | 'cleanGraphics';

export const DEID_OPTIONS: readonly DeidOption[] = [
  'retainSafePrivate',
  'retainUids',
  'retainDeviceIdentity',
  'retainInstitutionIdentity',
  'retainPatientCharacteristics',
  'retainLongitudinalFullDates',
  'retainLongitudinalModifiedDates',
  'cleanDescriptors',
  'cleanStructuredContent',
  'cleanGraphics',
];

/** How the row "(gggg,eeee) where gggg is odd" (all private attributes) is keyed. */
export const PRIVATE_TAG = '(gggg,eeee)';

export interface ProfileRow {
  readonly name: string;
  /** "(GGGG,EEEE)" as printed, lower-case x for the wildcard digits of repeating groups, or PRIVATE_TAG. */
  readonly tag: string;
  readonly retired: boolean;
  readonly inStandardIod: boolean;
  readonly basic: ProfileAction;
  /** Only the Options whose cell is not empty for this row. */
  readonly options: Partial<Record<DeidOption, ProfileAction>>;
}

/** One row of Table E.3.10-1 (Safe Private Attributes): "(7053,xx00)" of "Philips PET Private Group". */
export interface SafePrivateRow {
  /** Group, 4 upper-case hex digits. */
  readonly group: string;
  /** The element's low byte within the creator's block, 2 upper-case hex digits. */
  readonly element: string;
  readonly creator: string;
  readonly vr: string;
}
