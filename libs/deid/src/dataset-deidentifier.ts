import { Captured, Elements } from '@krypton/dicom-codec';
import { ConcreteAction, resolveAction } from './action-resolver';
import { shiftDate, shiftDateTime } from './date-shift';
import { KeyedMapping } from './keyed-mapping';
import { dictionaryVr } from './raw-reader';
import { EMPTY, RawValues } from './raw-values';
import { TextScrubber } from './text-scrubber';
import { ProfileIndex } from './table/profile-index';
import { DeidOption } from './table/profile-table';

const TEXT_VRS = new Set(['LO', 'SH', 'LT', 'ST', 'UT', 'UC']);
const VR_INDEX = new Map(
  ['AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR'].map(
    (vr, i) => [vr, i],
  ),
);
const NUMERIC_SIZE: Record<string, number> = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8, SV: 8, UV: 8, AT: 4 };
const DUMMY_TEXT = 'ANONYMIZED';

const PATIENT_NAME = 0x00100010;
const PATIENT_ID = 0x00100020;
const PATIENT_BIRTH_DATE = 0x00100030;
const GRAPHIC_ANNOTATION_SEQUENCE = 0x00700001;
const TEXT_OBJECT_SEQUENCE = 0x00700008;

/** What the walk needs to know about the patient of the object. */
export interface PatientReplacement {
  readonly pseudonym: string;
  readonly dateOffsetDays: number;
}

/** Counts of what the walk did, for the report of an extraction (never values). */
export interface WalkStats {
  removedPrivate: number;
  keptSafePrivate: number;
  remappedUids: number;
  shiftedDates: number;
  scrubbedTexts: number;
}

/** Table rows are keyed "GGGGEEEE"; the walk holds numbers. */
const tagKey = (tag: number) => (tag >>> 0).toString(16).toUpperCase().padStart(8, '0');
const rowCache = new Map<number, string>();
function keyOf(tag: number): string {
  let key = rowCache.get(tag);
  if (key === undefined) rowCache.set(tag, (key = tagKey(tag)));
  return key;
}

/**
 * Applies Table E.1-1 to every element of a data set at every depth. A sequence's action covers
 * its whole content: X drops it, Z empties it, and K, C, D and U keep its items and apply the
 * profile to each of them (PS3.15 E.1.1: "Keeping a Sequence requires recursively applying the
 * Profile rules to each Dataset in each Item"). Where the table is silent, what can carry
 * identity is still cleaned: person names get a dummy, free text is scrubbed of the values the
 * profile removed, dates follow the temporal option, private elements go unless safe.
 */
export class DatasetDeidentifier {
  readonly stats: WalkStats = { removedPrivate: 0, keptSafePrivate: 0, remappedUids: 0, shiftedDates: 0, scrubbedTexts: 0 };

  constructor(
    private readonly profile: ProfileIndex,
    private readonly options: ReadonlySet<DeidOption>,
    private readonly mapping: KeyedMapping,
    private readonly patient: PatientReplacement,
    private readonly scrubber: TextScrubber,
    private readonly text: RawValues,
    /** Resolved actions by tag and VR: the same for every object of an engine, so shared. */
    private readonly actions: Map<number, ConcreteAction | 'S'> = new Map(),
  ) {}

  /** Scrub results by raw value within this object: a report repeats its code meanings. */
  private readonly scrubbed = new Map<string, Captured | null>();

  private actionOf(tag: number, vr: string): ConcreteAction | 'S' {
    const cacheKey = tag * 32 + (VR_INDEX.get(vr) ?? 31);
    let action = this.actions.get(cacheKey);
    if (action === undefined) {
      const row = this.profile.row(keyOf(tag));
      action = row ? resolveAction(row, this.options) : this.silentAction(vr);
      this.actions.set(cacheKey, action);
    }
    return action;
  }

  /**
   * Feeds the scrubber with the values that name the patient or the people and places of their
   * care, wherever the profile removes or replaces them: person names at any depth, the patient
   * group (IDs, addresses, birth names), the visit group, the accession number and, unless
   * retained, the institution. Device names are not patient identity and are left to the table
   * (scrubbing "GIOTTO" station names out of "IMS GIOTTO S.p.A." would only lose the manufacturer).
   */
  learnIdentity(dataset: Elements): void {
    dataset.forEach((el, tag) => {
      if (el.items) {
        for (const item of el.items) this.learnIdentity(item);
        return;
      }
      if (isPrivate(tag)) return;
      const vr = el.vr === 'UN' ? dictionaryVr(tag) : el.vr;
      if (!isIdentityBearing(tag, vr)) return;
      const action = tag === PATIENT_NAME || tag === PATIENT_ID ? 'X' : this.actionOf(tag, vr);
      if (action === 'K' || action === 'U' || action === 'S' || action === 'C') return;
      for (const v of this.text.strings({ vr, value: el.value })) {
        if (tag === PATIENT_BIRTH_DATE) this.scrubber.addDate(v);
        else this.scrubber.add(v);
      }
    });
  }

  /**
   * The de-identified data set. Copy-on-write: an item in which nothing changes (most content
   * items of a dose report) is returned as is, which keeps a 100,000-element report from
   * allocating a second tree.
   */
  dataset(dataset: Elements, topLevel: boolean): Elements {
    let out: Elements | undefined;
    let processed = 0;
    let usedCreators: Set<number> | undefined;
    dataset.forEach((el, tag) => {
      let result: Captured | undefined;
      if ((tag & 0xffff) === 0 || tag >>> 16 === 0x0002)
        result = undefined; // group lengths and stray meta
      else if (isPrivate(tag)) {
        result = this.privateElement(tag, el, dataset);
        if (result) (usedCreators ??= new Set()).add(creatorTag(tag));
      } else if (topLevel && (tag === PATIENT_NAME || tag === PATIENT_ID)) {
        result = this.text.element(el.vr === 'UN' ? (tag === PATIENT_NAME ? 'PN' : 'LO') : el.vr, [this.patient.pseudonym]);
      } else {
        const vr = el.vr === 'UN' && !el.items ? dictionaryVr(tag) : el.vr;
        const typed = vr === el.vr ? el : { vr, value: el.value };
        result = this.apply(tag, typed, this.actionOf(tag, vr));
      }
      if (out === undefined && result !== el) {
        out = new Map();
        let i = 0;
        for (const [t, e] of dataset) {
          if (i++ >= processed) break;
          out.set(t, e);
        }
      }
      if (out !== undefined && result !== undefined) out.set(tag, result);
      processed++;
    });
    if (out === undefined) return dataset;
    // A private creator stays only if an element of its block stayed (its string names a vendor).
    if (usedCreators) {
      for (const creator of usedCreators) {
        const el = dataset.get(creator);
        if (el) out.set(creator, el);
      }
    }
    return out;
  }

  /** Where Table E.1-1 has no row: what the VR says the element can carry. */
  private silentAction(vr: string): ConcreteAction | 'S' {
    if (vr === 'SQ') return 'K';
    if (vr === 'PN') return 'D';
    if (vr === 'DA' || vr === 'DT') {
      if (this.options.has('retainLongitudinalModifiedDates')) return 'C';
      return this.options.has('retainLongitudinalFullDates') ? 'K' : 'X';
    }
    if (TEXT_VRS.has(vr)) return 'S';
    return 'K';
  }

  private apply(tag: number, el: Captured, action: ConcreteAction | 'S'): Captured | undefined {
    switch (action) {
      case 'X':
        return undefined;
      case 'Z':
        return el.items ? { vr: 'SQ', value: EMPTY, items: [] } : { vr: el.vr, value: EMPTY };
      case 'D':
        return el.items ? this.sequence(el, true) : this.dummy(el);
      case 'K':
        return el.items ? this.sequence(el, false) : el;
      case 'U':
        if (el.items) return this.sequence(el, false);
        return el.vr === 'UI' ? this.uids(el) : this.dummy(el);
      case 'S':
        return this.scrub(el);
      case 'C':
        return this.clean(tag, el);
    }
  }

  private sequence(el: Captured, nonEmpty: boolean): Captured {
    const before = el.items ?? [];
    if (nonEmpty && before.length === 0) return { vr: 'SQ', value: EMPTY, items: [new Map()] };
    let items: Elements[] | undefined;
    for (let i = 0; i < before.length; i++) {
      const after = this.dataset(before[i], false);
      if (items === undefined && after !== before[i]) items = before.slice(0, i);
      if (items !== undefined) items.push(after);
    }
    return items === undefined && el.vr === 'SQ' ? el : { vr: 'SQ', value: EMPTY, items: items ?? before };
  }

  /** C: "replace with values of similar meaning known not to contain identifying information". */
  private clean(tag: number, el: Captured): Captured | undefined {
    const group = tag >>> 24;
    // Overlay bitmaps and curves cannot be told free of text without looking at them: removed.
    if (group === 0x60 || group === 0x50) return undefined;
    if (el.items) {
      if (tag === GRAPHIC_ANNOTATION_SEQUENCE) return this.graphicAnnotations(el);
      return this.sequence(el, false);
    }
    switch (el.vr) {
      case 'DA':
      case 'DT':
        if (this.options.has('retainLongitudinalModifiedDates')) return this.shiftDates(el);
        return this.options.has('retainLongitudinalFullDates') ? el : undefined;
      case 'UI':
        return this.uids(el);
      case 'PN':
        return this.dummy(el);
      default:
        return TEXT_VRS.has(el.vr) ? this.scrub(el) : el;
    }
  }

  /** Clean Graphics: the drawings stay, their text objects (annotations typed on the image) go. */
  private graphicAnnotations(el: Captured): Captured {
    const items = (el.items ?? []).map((item) => {
      const rest: Elements = new Map(item);
      rest.delete(TEXT_OBJECT_SEQUENCE);
      return this.dataset(rest, false);
    });
    return { vr: 'SQ', value: EMPTY, items };
  }

  private shiftDates(el: Captured): Captured {
    const shift = el.vr === 'DA' ? shiftDate : shiftDateTime;
    const values: string[] = [];
    for (const v of this.text.strings(el)) {
      const shifted = shift(v, this.patient.dateOffsetDays);
      if (shifted === undefined) return { vr: el.vr, value: EMPTY };
      values.push(shifted);
    }
    this.stats.shiftedDates++;
    return this.text.element(el.vr, values);
  }

  private uids(el: Captured): Captured {
    this.stats.remappedUids++;
    return this.text.element(
      'UI',
      this.text.strings(el).map((v) => this.mapping.uid(v)),
    );
  }

  /** Free text kept (or not covered by the table): the patient's removed values are blanked out. */
  private scrub(el: Captured): Captured {
    if (el.value.length === 0) return el;
    const key = el.vr + el.value.toString('latin1');
    const cached = this.scrubbed.get(key);
    if (cached !== undefined) return cached ?? el;
    const before = this.text.strings(el);
    const after = before.map((v) => this.scrubber.scrub(v));
    if (after.every((v, i) => v === before[i])) {
      this.scrubbed.set(key, null);
      return el;
    }
    this.stats.scrubbedTexts++;
    const result = this.text.element(el.vr, after);
    this.scrubbed.set(key, result);
    return result;
  }

  /** D: a non-empty value that is valid for the VR and says nothing. */
  private dummy(el: Captured): Captured {
    const vr = el.vr;
    const size = NUMERIC_SIZE[vr];
    if (size !== undefined) return { vr, value: Buffer.alloc(size) };
    switch (vr) {
      case 'DA':
        return this.text.element(vr, ['19000101']);
      case 'TM':
        return this.text.element(vr, ['000000']);
      case 'DT':
        return this.text.element(vr, ['19000101000000']);
      case 'AS':
        return this.text.element(vr, ['000Y']);
      case 'DS':
      case 'IS':
        return this.text.element(vr, ['0']);
      case 'UI':
        return this.text.element(vr, [this.mapping.uid(`dummy:${this.text.strings(el)[0] ?? ''}`)]);
      case 'UR':
        return this.text.element(vr, ['urn:anonymized']);
      case 'OB':
      case 'OW':
      case 'OD':
      case 'OF':
      case 'OL':
      case 'OV':
      case 'UN':
        return { vr, value: Buffer.alloc(2) };
      default:
        return this.text.element(vr, [DUMMY_TEXT]);
    }
  }

  /**
   * Private elements go, unless the Retain Safe Private Option is chosen and Table E.3.10-1 (or
   * the project's allowlist) lists the element under the creator that reserved its block.
   */
  private privateElement(tag: number, el: Captured, dataset: Elements): Captured | undefined {
    const element = tag & 0xffff;
    if (element < 0x1000) return undefined; // creators are decided after their block's elements
    if (this.options.has('retainSafePrivate')) {
      const creatorEl = dataset.get(creatorTag(tag));
      const creator = creatorEl ? this.text.strings(creatorEl)[0] : undefined;
      const key = keyOf(tag);
      if (creator && this.profile.isSafePrivate(key.slice(0, 4), creator, key.slice(6))) {
        this.stats.keptSafePrivate++;
        return el.items ? this.sequence(el, false) : el;
      }
    }
    this.stats.removedPrivate++;
    return undefined;
  }
}

/** Institution name, address, department and the accession number (outside the patient group). */
const IDENTITY_TAGS = new Set([0x00080050, 0x00080080, 0x00080081, 0x00081040, 0x00080092, 0x00080094]);

function isIdentityBearing(tag: number, vr: string): boolean {
  if (vr === 'PN') return true;
  if (vr !== 'LO' && vr !== 'SH' && vr !== 'ST' && vr !== 'DA') return false;
  const group = tag >>> 16;
  if (vr === 'DA') return tag === PATIENT_BIRTH_DATE;
  return group === 0x0010 || group === 0x0038 || IDENTITY_TAGS.has(tag);
}

function isPrivate(tag: number): boolean {
  return ((tag >>> 16) & 1) === 1;
}

/** The creator element (gggg,00xx) that reserved the block of a private element (gggg,xxyy). */
function creatorTag(tag: number): number {
  return ((tag & 0xffff0000) | ((tag >>> 8) & 0xff)) >>> 0;
}
