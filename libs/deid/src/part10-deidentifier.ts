import { buildFileMetaHeader, Captured, Elements, TS, writeDataset } from '@krypton/dicom-codec';
import { ConcreteAction } from './action-resolver';
import { burnedInRisk } from './burned-in';
import { cleanPixels, matchingRule, PixelCleaningRule } from './pixel-cleaner';
import { DatasetDeidentifier, WalkStats } from './dataset-deidentifier';
import { BASIC_PROFILE_CODE, CLEAN_PIXEL_DATA_CODE, OPTION_DESCRIPTORS } from './deid-options';
import { DeidInputError } from './deid-errors';
import { KeyedMapping, patientKeyOf } from './keyed-mapping';
import { readRawPart10 } from './raw-reader';
import { EMPTY, RawValues } from './raw-values';
import { TextScrubber } from './text-scrubber';
import { ProfileIndex, standardProfile } from './table/profile-index';
import { DeidOption, SafePrivateRow } from './table/profile-table';

/** The AE title written as Source Application Entity Title of every de-identified file. */
export const DEID_SOURCE_AE = 'KRYPTON_DEID';

/** A project's de-identification settings: its secret keys every pseudonym, UID and date offset. */
export interface DeidProfileConfig {
  readonly secret: Buffer;
  readonly options: readonly DeidOption[];
  /** Private elements the project trusts beyond Table E.3.10-1 (Retain Safe Private). */
  readonly safePrivate?: readonly SafePrivateRow[];
  /** Devices whose burned-in text sits at known places: their images are cleaned, not quarantined. */
  readonly pixelCleaning?: readonly PixelCleaningRule[];
}

/** Identifiers of the output object (all pseudonymous): what a manifest and a progress count need. */
export interface DeidIdentifiers {
  readonly patientPseudonym: string;
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid: string;
  readonly sopClassUid: string;
  readonly modality: string;
}

export type DeidOutcome =
  | { readonly status: 'exported'; readonly part10: Buffer; readonly ids: DeidIdentifiers; readonly stats: WalkStats }
  | { readonly status: 'quarantined'; readonly reason: string; readonly ids: DeidIdentifiers };

const TAG = {
  sopClassUid: 0x00080016,
  sopInstanceUid: 0x00080018,
  studyInstanceUid: 0x0020000d,
  seriesInstanceUid: 0x0020000e,
  modality: 0x00080060,
  patientName: 0x00100010,
  patientId: 0x00100020,
  issuer: 0x00100021,
  issuerQualifiers: 0x00100024,
  universalEntityId: 0x00400032,
  birthDate: 0x00100030,
  burnedIn: 0x00280301,
  encapsulatedDocument: 0x00420011,
  patientIdentityRemoved: 0x00120062,
  deidMethod: 0x00120063,
  deidMethodCodes: 0x00120064,
  longitudinalModified: 0x00280303,
  pixelData: 0x7fe00010,
  floatPixelData: 0x7fe00008,
  doublePixelData: 0x7fe00009,
} as const;

const NATIVE = new Set<string>([TS.ImplicitVRLittleEndian, TS.ExplicitVRLittleEndian, TS.DeflatedExplicitVRLittleEndian, TS.ExplicitVRBigEndian]);

/**
 * De-identifies one Part 10 object under a project's profile (PS3.15 Annex E): the data set goes
 * through Table E.1-1 at every depth, the preamble is 128 zero bytes and the file meta is rebuilt
 * (Media Storage SOP Instance UID = the new SOP Instance UID, our Source AE Title), (0012,0062),
 * (0012,0063), (0012,0064) and (0028,0303) say what was done, and Pixel Data keeps its exact
 * bytes (fragments and offset table included). Pure: bytes in, bytes out.
 */
export class Part10Deidentifier {
  private readonly mapping: KeyedMapping;
  private readonly options: ReadonlySet<DeidOption>;
  private readonly profile: ProfileIndex;
  private readonly actions = new Map<number, ConcreteAction | 'S'>();
  private readonly pixelCleaning: readonly PixelCleaningRule[];

  constructor(config: DeidProfileConfig) {
    this.mapping = new KeyedMapping(config.secret);
    this.options = new Set(config.options);
    this.profile = standardProfile().withSafePrivate(config.safePrivate ?? []);
    this.pixelCleaning = config.pixelCleaning ?? [];
  }

  deidentify(part10: Buffer): DeidOutcome {
    const { transferSyntaxUid, dataset, charset } = readRawPart10(part10);
    const text = new RawValues(charset);
    const firstIn = (elements: typeof dataset, tag: number): string => {
      const el = elements.get(tag);
      return el && !el.items ? (text.strings(el)[0] ?? '').trim() : '';
    };
    const first = (tag: number): string => firstIn(dataset, tag);
    // The issuer as the patient-matching rule reads it (libs/patient-match): Issuer of Patient ID,
    // else the qualifiers' Universal Entity ID, so two patients sharing a Patient ID whose issuers
    // are only in the qualifiers sequence do not get one pseudonym.
    const qualifiers = dataset.get(TAG.issuerQualifiers)?.items?.[0];
    const issuer = first(TAG.issuer) || (qualifiers ? firstIn(qualifiers, TAG.universalEntityId) : '');
    const sopClassUid = first(TAG.sopClassUid);
    if (!first(TAG.sopInstanceUid)) throw new DeidInputError('the object has no SOP Instance UID (0008,0018)');

    const patientKey = patientKeyOf(first(TAG.patientId), issuer, first(TAG.patientName), first(TAG.birthDate));
    const patient = { pseudonym: this.mapping.patientPseudonym(patientKey), dateOffsetDays: this.mapping.dateOffsetDays(patientKey) };
    const uid = (tag: number) => (this.options.has('retainUids') ? first(tag) : this.mapping.uid(first(tag)));
    const ids: DeidIdentifiers = {
      patientPseudonym: patient.pseudonym,
      studyInstanceUid: uid(TAG.studyInstanceUid),
      seriesInstanceUid: uid(TAG.seriesInstanceUid),
      sopInstanceUid: uid(TAG.sopInstanceUid),
      sopClassUid,
      modality: first(TAG.modality),
    };
    const risk = burnedInRisk({
      sopClassUid,
      burnedInAnnotation: first(TAG.burnedIn) || undefined,
      hasPixelData: dataset.has(TAG.pixelData) || dataset.has(TAG.floatPixelData) || dataset.has(TAG.doublePixelData),
      hasEncapsulatedDocument: dataset.has(TAG.encapsulatedDocument),
    });
    let cleanedPixels = false;
    if (risk) {
      const rule = matchingRule(this.pixelCleaning, first(0x00080070), first(0x00081090), sopClassUid);
      if (!rule) return { status: 'quarantined', reason: risk, ids };
      const cleaned = cleanPixels(dataset, text, rule, NATIVE.has(transferSyntaxUid));
      if (typeof cleaned === 'string') return { status: 'quarantined', reason: `${risk}; ${cleaned}`, ids };
      dataset.set(TAG.pixelData, cleaned);
      dataset.set(TAG.burnedIn, text.element('CS', ['NO']));
      cleanedPixels = true;
    }

    const walker = new DatasetDeidentifier(this.profile, this.options, this.mapping, patient, new TextScrubber(), text, this.actions);
    walker.learnIdentity(dataset);
    const out = walker.dataset(dataset, true);
    this.markDeidentified(out, text, cleanedPixels);
    if (!out.has(TAG.sopInstanceUid)) throw new DeidInputError('the profile removed the SOP Instance UID');

    // Deflated and (retired) big-endian data sets are written Explicit VR Little Endian: same values.
    const outputSyntax = transferSyntaxUid === TS.DeflatedExplicitVRLittleEndian || transferSyntaxUid === TS.ExplicitVRBigEndian ? TS.ExplicitVRLittleEndian : transferSyntaxUid;
    const body = writeDataset(out, outputSyntax !== TS.ImplicitVRLittleEndian, !NATIVE.has(transferSyntaxUid), part10.length + 4096);
    const meta = buildFileMetaHeader({ sopClassUid, sopInstanceUid: text.strings(out.get(TAG.sopInstanceUid)!)[0], transferSyntaxUid: outputSyntax, sourceAeTitle: DEID_SOURCE_AE });
    return { status: 'exported', part10: Buffer.concat([meta, body]), ids, stats: walker.stats };
  }

  /** (0012,0062/0063/0064) and (0028,0303): what a receiver needs to know about this object. */
  private markDeidentified(out: Elements, text: RawValues, cleanedPixels: boolean): void {
    const chosen: { code: string; meaning: string }[] = OPTION_DESCRIPTORS.filter((d) => this.options.has(d.option));
    if (cleanedPixels) chosen.unshift(CLEAN_PIXEL_DATA_CODE);
    out.set(TAG.patientIdentityRemoved, text.element('CS', ['YES']));
    out.set(
      TAG.deidMethod,
      text.element(
        'LO',
        ['Basic Application Confidentiality Profile', ...chosen.map((d) => d.meaning)].map((m) => m.slice(0, 64)),
      ),
    );
    const items: Elements[] = [BASIC_PROFILE_CODE, ...chosen].map(
      (d) =>
        new Map<number, Captured>([
          [0x00080100, text.element('SH', [d.code])],
          [0x00080102, text.element('SH', ['DCM'])],
          [0x00080104, text.element('LO', [d.meaning])],
        ]),
    );
    out.set(TAG.deidMethodCodes, { vr: 'SQ', value: EMPTY, items });
    const temporal = this.options.has('retainLongitudinalModifiedDates') ? 'MODIFIED' : this.options.has('retainLongitudinalFullDates') ? 'UNMODIFIED' : 'REMOVED';
    out.set(TAG.longitudinalModified, text.element('CS', [temporal]));
  }
}

/** Where a de-identified object goes under an output folder: names made of output values only. */
export function deidOutputPath(ids: DeidIdentifiers): string[] {
  return [ids.patientPseudonym, ids.studyInstanceUid, ids.seriesInstanceUid, `${ids.sopInstanceUid}.dcm`];
}
