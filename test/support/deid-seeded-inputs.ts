import { SyntheticItem, syntheticPart10 } from '../../libs/deid/src/testing/synthetic-part10';

/**
 * Synthetic objects of one fake patient, with identifying values planted everywhere a real
 * object carries them (patient module, physicians, institution, descriptions, a local procedure
 * code's meaning, SR person and text items, nested sequences, private elements) and a set of
 * objects that refer to each other: CT slices, an RT structure set → plan → dose chain, a SEG on
 * the CT series, a comprehensive SR citing them as evidence, and two objects to be quarantined.
 */
export const SEEDS = {
  family: 'ZORGLUB',
  given: 'KASIMIR',
  patientId: 'SEEDPID90210',
  otherId: 'SEEDOTHER777',
  birthDate: '19610704',
  accession: 'SEEDACC555',
  referrer: 'DRSEEDREF',
  operator: 'SEEDOPERATOR',
  institution: 'SEEDHOSPITAL',
  address: 'SEEDSTREET',
  phone: '0611223344',
  studyDate: '20230517',
  uidRoot: '1.2.826.0.1.3680043.99999.',
};

/** Every seed that must not appear anywhere in the output (values and raw bytes). */
export const FORBIDDEN = [
  SEEDS.family,
  SEEDS.given,
  SEEDS.patientId,
  SEEDS.otherId,
  SEEDS.birthDate,
  SEEDS.accession,
  SEEDS.referrer,
  SEEDS.operator,
  SEEDS.institution,
  SEEDS.address,
  SEEDS.phone,
  SEEDS.studyDate,
  SEEDS.uidRoot,
];

const U = (n: string) => `${SEEDS.uidRoot}${n}`;
export const ORIGINAL = {
  study: U('1'),
  ctSeries: U('2'),
  frameOfReference: U('3'),
  ct: [U('2.1'), U('2.2')],
  rtStruct: U('4.1'),
  rtPlan: U('5.1'),
  rtDose: U('6.1'),
  seg: U('7.1'),
  sr: U('8.1'),
  sc: U('9.1'),
  us: U('10.1'),
};

const SOP = {
  ct: '1.2.840.10008.5.1.4.1.1.2',
  rtStruct: '1.2.840.10008.5.1.4.1.1.481.3',
  rtPlan: '1.2.840.10008.5.1.4.1.1.481.5',
  rtDose: '1.2.840.10008.5.1.4.1.1.481.2',
  seg: '1.2.840.10008.5.1.4.1.1.66.4',
  sr: '1.2.840.10008.5.1.4.1.1.88.33',
  sc: '1.2.840.10008.5.1.4.1.1.7',
  us: '1.2.840.10008.5.1.4.1.1.6.1',
};

const v = (vr: string, value: string | number | Buffer | SyntheticItem[]) => ({ vr, value });
const name = `${SEEDS.family}^${SEEDS.given}`;

function common(sopClass: string, sop: string, series: string, modality: string): SyntheticItem {
  return {
    '00080005': v('CS', 'ISO_IR 192'),
    '00080016': v('UI', sopClass),
    '00080018': v('UI', sop),
    '00080020': v('DA', SEEDS.studyDate),
    '00080030': v('TM', '101500'),
    '00080050': v('SH', SEEDS.accession),
    '00080060': v('CS', modality),
    '00080080': v('LO', `${SEEDS.institution} CENTRE`),
    '00080081': v('ST', `1 ${SEEDS.address}, LYON`),
    '00080090': v('PN', `${SEEDS.referrer}^ANNA`),
    '00081030': v('LO', `CT THORAX ${SEEDS.family}`),
    '00081032': v('SQ', [{ '00080100': v('SH', 'XRT01'), '00080102': v('SH', '99LOCAL'), '00080104': v('LO', `Thorax ${SEEDS.family} ${SEEDS.given}`) }]),
    '00081070': v('PN', `${SEEDS.operator}^TECH`),
    '00100010': v('PN', name),
    '00100020': v('LO', SEEDS.patientId),
    '00100030': v('DA', SEEDS.birthDate),
    '00100040': v('CS', 'M'),
    '00101010': v('AS', '061Y'),
    '00101002': v('SQ', [{ '00100020': v('LO', SEEDS.otherId), '00100021': v('LO', 'OTHER HOSPITAL') }]),
    '00101040': v('LO', `3 ${SEEDS.address}`),
    '00102154': v('SH', SEEDS.phone),
    '00104000': v('LT', `Patient ${SEEDS.given} ${SEEDS.family} allergic`),
    '0020000D': v('UI', ORIGINAL.study),
    '0020000E': v('UI', series),
    '00200010': v('SH', 'STUDY1'),
    '00090010': v('LO', 'SEEDVENDOR PRIVATE'),
    '00091001': v('LO', name),
    '00091002': v('SQ', [{ '00100010': v('PN', name) }]),
  };
}

function ct(i: number): Buffer {
  return syntheticPart10({
    ...common(SOP.ct, ORIGINAL.ct[i], ORIGINAL.ctSeries, 'CT'),
    '00200052': v('UI', ORIGINAL.frameOfReference),
    '00200013': v('IS', String(i + 1)),
    '00280002': v('US', 1),
    '00280004': v('CS', 'MONOCHROME2'),
    '00280010': v('US', 4),
    '00280011': v('US', 4),
    '00280100': v('US', 16),
    '00280101': v('US', 12),
    '00280102': v('US', 11),
    '00280103': v('US', 0),
    '00280301': v('CS', 'NO'),
    '7FE00010': v('OW', Buffer.from(Array.from({ length: 32 }, (_, k) => (k * 7 + i) & 0xff))),
  });
}

const imageRef = (sop: string) => ({ '00081150': v('UI', SOP.ct), '00081155': v('UI', sop) });

function rtStruct(): Buffer {
  return syntheticPart10({
    ...common(SOP.rtStruct, ORIGINAL.rtStruct, U('4'), 'RTSTRUCT'),
    '30060002': v('SH', 'SEEDLABEL'.replace('SEED', 'RS')),
    '30060010': v('SQ', [
      {
        '00200052': v('UI', ORIGINAL.frameOfReference),
        '30060012': v('SQ', [
          {
            '00081150': v('UI', '1.2.840.10008.3.1.2.3.1'),
            '00081155': v('UI', ORIGINAL.study),
            '30060014': v('SQ', [{ '0020000E': v('UI', ORIGINAL.ctSeries), '30060016': v('SQ', ORIGINAL.ct.map(imageRef)) }]),
          },
        ]),
      },
    ]),
    '30060020': v('SQ', [{ '30060022': v('IS', '1'), '30060024': v('UI', ORIGINAL.frameOfReference), '30060026': v('LO', 'GTV') }]),
  });
}

function rtPlan(): Buffer {
  return syntheticPart10({
    ...common(SOP.rtPlan, ORIGINAL.rtPlan, U('5'), 'RTPLAN'),
    '00200052': v('UI', ORIGINAL.frameOfReference),
    '300A0002': v('SH', 'PLAN1'),
    '300C0060': v('SQ', [{ '00081150': v('UI', SOP.rtStruct), '00081155': v('UI', ORIGINAL.rtStruct) }]),
  });
}

function rtDose(): Buffer {
  return syntheticPart10({
    ...common(SOP.rtDose, ORIGINAL.rtDose, U('6'), 'RTDOSE'),
    '00200052': v('UI', ORIGINAL.frameOfReference),
    '300C0002': v('SQ', [{ '00081150': v('UI', SOP.rtPlan), '00081155': v('UI', ORIGINAL.rtPlan) }]),
  });
}

function seg(): Buffer {
  return syntheticPart10({
    ...common(SOP.seg, ORIGINAL.seg, U('7'), 'SEG'),
    '00200052': v('UI', ORIGINAL.frameOfReference),
    '00081115': v('SQ', [{ '0020000E': v('UI', ORIGINAL.ctSeries), '0008114A': v('SQ', ORIGINAL.ct.map(imageRef)) }]),
    '52009229': v('SQ', [{ '00089124': v('SQ', [{ '00082112': v('SQ', ORIGINAL.ct.map(imageRef)) }]) }]),
    '00280301': v('CS', 'NO'),
  });
}

function sr(): Buffer {
  const item = (type: string, valueType: string, extra: SyntheticItem) => ({ '0040A010': v('CS', type), '0040A040': v('CS', valueType), ...extra });
  return syntheticPart10({
    ...common(SOP.sr, ORIGINAL.sr, U('8'), 'SR'),
    '0040A073': v('SQ', [{ '0040A075': v('PN', `${SEEDS.referrer}^ANNA`), '0040A027': v('LO', SEEDS.institution), '0040A030': v('DT', `${SEEDS.studyDate}101500`) }]),
    '0040A375': v('SQ', [{ '0020000D': v('UI', ORIGINAL.study), '00081115': v('SQ', [{ '0020000E': v('UI', ORIGINAL.ctSeries), '00081199': v('SQ', ORIGINAL.ct.map(imageRef)) }]) }]),
    '0040A730': v('SQ', [
      item('HAS OBS CONTEXT', 'PNAME', { '0040A123': v('PN', name) }),
      item('CONTAINS', 'TEXT', { '0040A160': v('UT', `Seen ${SEEDS.given} ${SEEDS.family} born ${SEEDS.birthDate}`) }),
      item('CONTAINS', 'IMAGE', { '00081199': v('SQ', [imageRef(ORIGINAL.ct[0])]) }),
    ]),
  });
}

function quarantined(): Buffer[] {
  const px = { '7FE00010': v('OW', Buffer.alloc(16)) };
  return [
    syntheticPart10({ ...common(SOP.sc, ORIGINAL.sc, U('9'), 'OT'), ...px }),
    syntheticPart10({
      ...common(SOP.us, ORIGINAL.us, U('10'), 'US'),
      ...px,
      '00280002': v('US', 1),
      '00280010': v('US', 2),
      '00280011': v('US', 4),
      '00280100': v('US', 16),
      '00280301': v('CS', 'YES'),
    }),
  ];
}

/** name → bytes of every object of the fake patient. */
export function seededObjects(): Record<string, Buffer> {
  const [sc, us] = quarantined();
  return { 'ct-1.dcm': ct(0), 'ct-2.dcm': ct(1), 'rtstruct.dcm': rtStruct(), 'rtplan.dcm': rtPlan(), 'rtdose.dcm': rtDose(), 'seg.dcm': seg(), 'sr.dcm': sr(), 'sc.dcm': sc, 'us.dcm': us };
}
