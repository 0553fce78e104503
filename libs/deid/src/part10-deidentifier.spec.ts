import { deflateRawSync } from 'node:zlib';
import { buildFileMetaHeader, TS } from '@krypton/dicom-codec';
import { parseOptionNames } from './deid-options';
import { UnknownDeidOptionError, WeakSecretError } from './deid-errors';
import { DeidOutcome, Part10Deidentifier } from './part10-deidentifier';
import { readRawPart10 } from './raw-reader';
import { RawValues } from './raw-values';
import { DeidOption } from './table/profile-table';
import { SyntheticItem, syntheticPart10 } from './testing/synthetic-part10';

const SECRET = Buffer.alloc(32, 9);
const text = new RawValues('utf-8');
const CT = '1.2.840.10008.5.1.4.1.1.2';

function base(extra: SyntheticItem = {}): SyntheticItem {
  return {
    '00080016': { vr: 'UI', value: CT },
    '00080018': { vr: 'UI', value: '1.2.826.0.1.1.1' },
    '00080020': { vr: 'DA', value: '20240110' },
    '00080050': { vr: 'SH', value: 'ACC7781' },
    '00100010': { vr: 'PN', value: 'DUPONT^JEANNE' },
    '00100020': { vr: 'LO', value: 'PID-42' },
    '00100030': { vr: 'DA', value: '19700131' },
    '0020000D': { vr: 'UI', value: '1.2.826.0.1.2' },
    '0020000E': { vr: 'UI', value: '1.2.826.0.1.3' },
    ...extra,
  };
}

function exported(outcome: DeidOutcome) {
  if (outcome.status !== 'exported') throw new Error(`quarantined: ${outcome.reason}`);
  return { ...outcome, out: readRawPart10(outcome.part10).dataset };
}

const engine = (options: DeidOption[] = [], secret = SECRET) => new Part10Deidentifier({ secret, options });
const str = (el?: { value: Buffer; vr: string; items?: unknown }) => (el && !el.items ? text.strings(el as never).join('\\') : undefined);

describe('Part10Deidentifier', () => {
  it('replaces Patient ID and Name by one keyed pseudonym, distinct per patient, stable per secret', () => {
    const a = exported(engine().deidentify(syntheticPart10(base())));
    const b = exported(engine().deidentify(syntheticPart10(base({ '00080018': { vr: 'UI', value: '1.2.826.0.1.1.2' } }))));
    const other = exported(engine().deidentify(syntheticPart10(base({ '00100020': { vr: 'LO', value: 'PID-43' } }))));
    const otherKey = exported(engine([], Buffer.alloc(32, 8)).deidentify(syntheticPart10(base())));
    expect(str(a.out.get(0x00100020))).toBe(a.ids.patientPseudonym);
    expect(str(a.out.get(0x00100010))).toBe(a.ids.patientPseudonym);
    expect(b.ids.patientPseudonym).toBe(a.ids.patientPseudonym);
    expect(other.ids.patientPseudonym).not.toBe(a.ids.patientPseudonym);
    expect(otherKey.ids.patientPseudonym).not.toBe(a.ids.patientPseudonym);
  });

  it('keeps two patients sharing a Patient ID apart when their issuers are only in the qualifiers sequence', () => {
    const qualified = (entity: string) => base({ '00100024': { vr: 'SQ', value: [{ '00400032': { vr: 'UT', value: entity }, '00400033': { vr: 'CS', value: 'ISO' } }] } });
    const nord = exported(engine().deidentify(syntheticPart10(qualified('1.2.250.1.999.1'))));
    const nordAgain = exported(engine().deidentify(syntheticPart10(qualified('1.2.250.1.999.1'))));
    const sud = exported(engine().deidentify(syntheticPart10(qualified('1.2.250.1.999.2'))));
    expect(nordAgain.ids.patientPseudonym).toBe(nord.ids.patientPseudonym);
    expect(sud.ids.patientPseudonym).not.toBe(nord.ids.patientPseudonym);
  });

  it('maps UIDs with the keyed HMAC as 2.25 UIDs, consistently across objects and runs, keeping standard UIDs', () => {
    const image = exported(engine().deidentify(syntheticPart10(base())));
    const sr = exported(
      engine().deidentify(
        syntheticPart10(
          base({
            '00080016': { vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.88.67' },
            '00080018': { vr: 'UI', value: '1.2.826.0.1.9' },
            '0040A375': {
              vr: 'SQ',
              value: [
                {
                  '0020000D': { vr: 'UI', value: '1.2.826.0.1.2' },
                  '00081115': {
                    vr: 'SQ',
                    value: [
                      {
                        '0020000E': { vr: 'UI', value: '1.2.826.0.1.3' },
                        '00081199': { vr: 'SQ', value: [{ '00081150': { vr: 'UI', value: CT }, '00081155': { vr: 'UI', value: '1.2.826.0.1.1.1' } }] },
                      },
                    ],
                  },
                },
              ],
            },
          }),
        ),
      ),
    );
    const again = exported(engine().deidentify(syntheticPart10(base())));
    const sop = str(image.out.get(0x00080018))!;
    expect(sop).toMatch(/^2\.25\.\d{1,39}$/);
    expect(sop).toBe(image.ids.sopInstanceUid);
    expect(str(again.out.get(0x00080018))).toBe(sop);
    const evidence = sr.out.get(0x0040a375)!.items![0];
    expect(str(evidence.get(0x0020000d))).toBe(str(image.out.get(0x0020000d)));
    const series = evidence.get(0x00081115)!.items![0];
    expect(str(series.get(0x0020000e))).toBe(str(image.out.get(0x0020000e)));
    const ref = series.get(0x00081199)!.items![0];
    expect(str(ref.get(0x00081155))).toBe(sop);
    expect(str(ref.get(0x00081150))).toBe(CT);
  });

  it('Retain UIDs keeps them', () => {
    const r = exported(engine(['retainUids']).deidentify(syntheticPart10(base())));
    expect(str(r.out.get(0x00080018))).toBe('1.2.826.0.1.1.1');
  });

  it('rewrites preamble and file meta: zero preamble, Media Storage SOP Instance UID = new SOP Instance UID, our Source AE', () => {
    const input = syntheticPart10(base());
    input.fill(0x41, 0, 128); // a dual-personality preamble (e.g. a TIFF header)
    const r = exported(engine().deidentify(input));
    expect(r.part10.subarray(0, 128).every((b) => b === 0)).toBe(true);
    const meta = r.part10.toString('latin1', 132, 400);
    expect(meta).toContain(r.ids.sopInstanceUid);
    expect(meta).toContain('KRYPTON_DEID');
    expect(meta).not.toContain('1.2.826.0.1.1.1');
  });

  it('records (0012,0062) YES, (0012,0063)/(0012,0064) the profile and each option, (0028,0303) by the temporal option', () => {
    const r = exported(engine(['retainLongitudinalModifiedDates', 'cleanDescriptors']).deidentify(syntheticPart10(base())));
    expect(str(r.out.get(0x00120062))).toBe('YES');
    expect(str(r.out.get(0x00120063))).toContain('Basic Application Confidentiality Profile');
    const codes = r.out.get(0x00120064)!.items!.map((i) => str(i.get(0x00080100)));
    expect(codes).toEqual(['113100', '113105', '113107']);
    expect(str(r.out.get(0x00280303))).toBe('MODIFIED');
    expect(str(exported(engine([]).deidentify(syntheticPart10(base()))).out.get(0x00280303))).toBe('REMOVED');
    expect(str(exported(engine(['retainLongitudinalFullDates']).deidentify(syntheticPart10(base()))).out.get(0x00280303))).toBe('UNMODIFIED');
  });

  it('moves all dates of a patient by one offset, so intervals between exams are kept', () => {
    const day = (da: string) => Date.UTC(+da.slice(0, 4), +da.slice(4, 6) - 1, +da.slice(6, 8)) / 86400000;
    const first = exported(engine(['retainLongitudinalModifiedDates']).deidentify(syntheticPart10(base())));
    const later = exported(
      engine(['retainLongitudinalModifiedDates']).deidentify(syntheticPart10(base({ '00080018': { vr: 'UI', value: '1.2.826.0.1.1.7' }, '00080020': { vr: 'DA', value: '20240415' } }))),
    );
    const a = str(first.out.get(0x00080020))!;
    const b = str(later.out.get(0x00080020))!;
    expect(a).not.toBe('20240110');
    expect(day(b) - day(a)).toBe(day('20240415') - day('20240110'));
  });

  it('removes private elements, keeping Table E.3.10-1 safe ones only with Retain Safe Private', () => {
    const input = syntheticPart10(
      base({
        '00090010': { vr: 'LO', value: 'ACME_PRIVATE' },
        '00091001': { vr: 'LO', value: 'DUPONT^JEANNE' },
        '70530010': { vr: 'LO', value: 'Philips PET Private Group' },
        '70531000': { vr: 'DS', value: '1.25' },
        '70531050': { vr: 'LO', value: 'not in the safe list' },
      }),
    );
    const basic = exported(engine().deidentify(input));
    expect([...basic.out.keys()].filter((t) => (t >>> 16) & 1)).toEqual([]);
    const safe = exported(engine(['retainSafePrivate']).deidentify(input));
    expect([...safe.out.keys()].filter((t) => (t >>> 16) & 1).sort()).toEqual([0x70530010, 0x70531000]);
    expect(str(safe.out.get(0x70531000))).toBe('1.25');
  });

  it('cleans free text the table is silent about (a procedure code meaning naming the patient)', () => {
    const input = syntheticPart10(
      base({
        '00081032': { vr: 'SQ', value: [{ '00080100': { vr: 'SH', value: 'XR123' }, '00080102': { vr: 'SH', value: '99LOCAL' }, '00080104': { vr: 'LO', value: 'Thorax DUPONT Jeanne ACC7781' } }] },
      }),
    );
    const r = exported(engine(['cleanDescriptors']).deidentify(input));
    const meaning = str(r.out.get(0x00081032)!.items![0].get(0x00080104));
    expect(meaning).toBe('Thorax *** *** ***');
    expect(r.part10.includes(Buffer.from('DUPONT'))).toBe(false);
  });

  it('copies native and encapsulated pixel data byte for byte', () => {
    const pixels = Buffer.from(Array.from({ length: 64 }, (_, i) => i));
    const native = exported(engine().deidentify(syntheticPart10(base({ '7FE00010': { vr: 'OW', value: pixels } }))));
    expect(native.out.get(0x7fe00010)!.value.equals(pixels)).toBe(true);
    const item = (b: Buffer) => Buffer.concat([Buffer.from([0xfe, 0xff, 0x00, 0xe0]), Buffer.from(new Uint32Array([b.length]).buffer), b]);
    const fragments = Buffer.concat([item(Buffer.alloc(0)), item(Buffer.from('JPEGFRAG')), Buffer.from([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0])]);
    const jpeg = syntheticPart10(base({ '7FE00010': { vr: 'OB', value: Buffer.alloc(0) } }), '1.2.840.10008.1.2.4.50');
    // Replace the empty pixel element by an undefined-length encapsulated one.
    const head = jpeg.subarray(0, jpeg.length - 12);
    const encapsulated = Buffer.concat([head, Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x42, 0, 0, 0xff, 0xff, 0xff, 0xff]), fragments]);
    const r = exported(engine().deidentify(encapsulated));
    expect(r.part10.subarray(r.part10.length - fragments.length).equals(fragments)).toBe(true);
  });

  it('quarantines objects that may burn identity into pixels, with the reason', () => {
    const px = { '7FE00010': { vr: 'OW', value: Buffer.alloc(4) } };
    const yes = engine().deidentify(syntheticPart10(base({ ...px, '00280301': { vr: 'CS', value: 'YES' } })));
    expect(yes).toMatchObject({ status: 'quarantined', reason: expect.stringContaining('YES') });
    const sc = engine().deidentify(syntheticPart10(base({ ...px, '00080016': { vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' } })));
    expect(sc).toMatchObject({ status: 'quarantined', reason: expect.stringContaining('Secondary Capture') });
    const us = engine().deidentify(syntheticPart10(base({ ...px, '00080016': { vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.6.1' } })));
    expect(us.status).toBe('quarantined');
    const scNo = engine().deidentify(syntheticPart10(base({ ...px, '00080016': { vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' }, '00280301': { vr: 'CS', value: 'NO' } })));
    expect(scNo.status).toBe('exported');
    const pdf = engine().deidentify(syntheticPart10(base({ '00420011': { vr: 'OB', value: Buffer.from('%PDF') } })));
    expect(pdf.status).toBe('quarantined');
  });

  it("exports a burn-prone image cleaned by the project's rule for its device: regions blanked, 113101 recorded", () => {
    const pixels = Buffer.alloc(4 * 4 * 2, 0x11);
    const us = base({
      '00080016': { vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.6.1' },
      '00080070': { vr: 'LO', value: 'ACME' },
      '00081090': { vr: 'LO', value: 'SONO 1' },
      '00280002': { vr: 'US', value: 1 },
      '00280010': { vr: 'US', value: 4 },
      '00280011': { vr: 'US', value: 4 },
      '00280100': { vr: 'US', value: 16 },
      '00280301': { vr: 'CS', value: 'YES' },
      '7FE00010': { vr: 'OW', value: pixels },
    });
    const rule = { manufacturer: 'acme', model: 'SONO 1', regions: [{ x: 0, y: 0, width: 4, height: 1 }] };
    const cleaned = exported(new Part10Deidentifier({ secret: SECRET, options: [], pixelCleaning: [rule] }).deidentify(syntheticPart10(us)));
    const out = cleaned.out.get(0x7fe00010)!.value;
    expect(out.subarray(0, 8).every((b) => b === 0)).toBe(true);
    expect(out.subarray(8).every((b) => b === 0x11)).toBe(true);
    expect(str(cleaned.out.get(0x00280301))).toBe('NO');
    expect(cleaned.out.get(0x00120064)!.items!.map((i) => str(i.get(0x00080100)))).toEqual(['113100', '113101']);
    const otherDevice = new Part10Deidentifier({ secret: SECRET, options: [], pixelCleaning: [{ ...rule, model: 'SONO 2' }] }).deidentify(syntheticPart10(us));
    expect(otherDevice.status).toBe('quarantined');
  });

  it('writes a deflated input inflated, as Explicit VR Little Endian', () => {
    const plain = syntheticPart10(base());
    const metaEnd = 144 + plain.readUInt32LE(140);
    const deflatedMeta = buildFileMetaHeader({ sopClassUid: CT, sopInstanceUid: '1.2.826.0.1.1.1', transferSyntaxUid: TS.DeflatedExplicitVRLittleEndian });
    const deflated = Buffer.concat([deflatedMeta, deflateRawSync(plain.subarray(metaEnd))]);
    const r = exported(engine().deidentify(deflated));
    expect(readRawPart10(r.part10).transferSyntaxUid).toBe(TS.ExplicitVRLittleEndian);
    expect(str(r.out.get(0x00100020))).toBe(r.ids.patientPseudonym);
  });

  it('refuses a short secret and unknown or contradictory options', () => {
    expect(() => engine([], Buffer.alloc(8))).toThrow(WeakSecretError);
    expect(parseOptionNames(['retain-uids', 'Clean Descriptors', 'retainPatientCharacteristics'])).toEqual(['retainUids', 'retainPatientCharacteristics', 'cleanDescriptors']);
    expect(() => parseOptionNames(['retain-everything'])).toThrow(UnknownDeidOptionError);
    expect(() => parseOptionNames(['retain-longitudinal-full-dates', 'retain-longitudinal-modified-dates'])).toThrow(UnknownDeidOptionError);
  });
});
