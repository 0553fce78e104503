import { DEID_OPTIONS, DeidOption } from './table/profile-table';
import { UnknownDeidOptionError } from './deid-errors';

/**
 * What each Option is called on the command line and in a project, and the CID 7050 code that
 * (0012,0064) De-identification Method Code Sequence records for it (PS3.16).
 */
export interface OptionDescriptor {
  readonly option: DeidOption;
  /** The kebab-case name used by `--options` and research projects. */
  readonly name: string;
  readonly code: string;
  readonly meaning: string;
}

export const BASIC_PROFILE_CODE = { code: '113100', meaning: 'Basic Application Confidentiality Profile' } as const;
/** Recorded when a project's pixel-cleaning rule blanked burned-in text (not an Option a project picks). */
export const CLEAN_PIXEL_DATA_CODE = { code: '113101', meaning: 'Clean Pixel Data Option' } as const;

export const OPTION_DESCRIPTORS: readonly OptionDescriptor[] = [
  { option: 'cleanGraphics', name: 'clean-graphics', code: '113103', meaning: 'Clean Graphics Option' },
  { option: 'cleanStructuredContent', name: 'clean-structured-content', code: '113104', meaning: 'Clean Structured Content Option' },
  { option: 'cleanDescriptors', name: 'clean-descriptors', code: '113105', meaning: 'Clean Descriptors Option' },
  { option: 'retainLongitudinalFullDates', name: 'retain-longitudinal-full-dates', code: '113106', meaning: 'Retain Longitudinal Temporal Information Full Dates Option' },
  { option: 'retainLongitudinalModifiedDates', name: 'retain-longitudinal-modified-dates', code: '113107', meaning: 'Retain Longitudinal Temporal Information Modified Dates Option' },
  { option: 'retainPatientCharacteristics', name: 'retain-patient-characteristics', code: '113108', meaning: 'Retain Patient Characteristics Option' },
  { option: 'retainDeviceIdentity', name: 'retain-device-identity', code: '113109', meaning: 'Retain Device Identity Option' },
  { option: 'retainUids', name: 'retain-uids', code: '113110', meaning: 'Retain UIDs Option' },
  { option: 'retainSafePrivate', name: 'retain-safe-private', code: '113111', meaning: 'Retain Safe Private Option' },
  { option: 'retainInstitutionIdentity', name: 'retain-institution-identity', code: '113112', meaning: 'Retain Institution Identity Option' },
];

/** The defaults: intervals between a patient's exams and age/sex/size stay usable. */
export const DEFAULT_OPTIONS: readonly DeidOption[] = ['retainLongitudinalModifiedDates', 'retainPatientCharacteristics'];

const BY_NAME = new Map<string, DeidOption>();
for (const d of OPTION_DESCRIPTORS) {
  BY_NAME.set(d.name, d.option);
  BY_NAME.set(d.option.toLowerCase(), d.option);
}

/**
 * Option names as a user writes them ("retain-uids", "retainUids", "Retain UIDs"): case, spaces,
 * dashes and underscores do not matter. Unknown names and contradictory pairs are refused.
 */
export function parseOptionNames(names: readonly string[]): DeidOption[] {
  const out = new Set<DeidOption>();
  for (const raw of names) {
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    const key = trimmed
      .replace(/([a-z])([A-Z])/g, '$1-$2')
      .toLowerCase()
      .replace(/[\s_]+/g, '-')
      .replace(/-option$/, '');
    const option = BY_NAME.get(key) ?? BY_NAME.get(key.replace(/-/g, ''));
    if (!option)
      throw new UnknownDeidOptionError(
        trimmed,
        OPTION_DESCRIPTORS.map((d) => d.name),
      );
    out.add(option);
  }
  if (out.has('retainLongitudinalFullDates') && out.has('retainLongitudinalModifiedDates')) {
    throw new UnknownDeidOptionError('retain-longitudinal-full-dates + retain-longitudinal-modified-dates', [], 'the two temporal options exclude each other');
  }
  return DEID_OPTIONS.filter((o) => out.has(o));
}

export function descriptorOf(option: DeidOption): OptionDescriptor {
  return OPTION_DESCRIPTORS.find((d) => d.option === option)!;
}
