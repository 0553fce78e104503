/** Implementation identity the hub writes in file meta information and association negotiation. */
export const IMPLEMENTATION_CLASS_UID = '1.2.826.0.1.3680043.10.1523.1';
export const IMPLEMENTATION_VERSION_NAME = 'KRYPTON_010';

export const TS = {
  ImplicitVRLittleEndian: '1.2.840.10008.1.2',
  ExplicitVRLittleEndian: '1.2.840.10008.1.2.1',
  DeflatedExplicitVRLittleEndian: '1.2.840.10008.1.2.1.99',
  ExplicitVRBigEndian: '1.2.840.10008.1.2.2',
} as const;

/**
 * Transfer syntaxes the hub accepts for storage. Objects are stored as received, so any standard
 * syntax is fine to accept: the list covers uncompressed, deflate, JPEG, JPEG-LS, JPEG 2000, RLE,
 * MPEG/HEVC video, HTJ2K and JPEG XL.
 */
export const STORAGE_TRANSFER_SYNTAXES: ReadonlySet<string> = new Set([
  TS.ImplicitVRLittleEndian,
  TS.ExplicitVRLittleEndian,
  TS.DeflatedExplicitVRLittleEndian,
  TS.ExplicitVRBigEndian,
  '1.2.840.10008.1.2.4.50',
  '1.2.840.10008.1.2.4.51',
  '1.2.840.10008.1.2.4.57',
  '1.2.840.10008.1.2.4.70',
  '1.2.840.10008.1.2.4.80',
  '1.2.840.10008.1.2.4.81',
  '1.2.840.10008.1.2.4.90',
  '1.2.840.10008.1.2.4.91',
  '1.2.840.10008.1.2.4.92',
  '1.2.840.10008.1.2.4.93',
  '1.2.840.10008.1.2.4.100',
  '1.2.840.10008.1.2.4.101',
  '1.2.840.10008.1.2.4.102',
  '1.2.840.10008.1.2.4.103',
  '1.2.840.10008.1.2.4.104',
  '1.2.840.10008.1.2.4.105',
  '1.2.840.10008.1.2.4.106',
  '1.2.840.10008.1.2.4.107',
  '1.2.840.10008.1.2.4.108',
  '1.2.840.10008.1.2.4.110',
  '1.2.840.10008.1.2.4.111',
  '1.2.840.10008.1.2.4.112',
  '1.2.840.10008.1.2.4.201',
  '1.2.840.10008.1.2.4.202',
  '1.2.840.10008.1.2.4.203',
  '1.2.840.10008.1.2.5',
]);

/**
 * Storage SOP classes live under a few registered roots (PS3.4 Annex B / PS3.6). Accepting by root
 * rather than by a fixed list means a new standard storage class works without a code change.
 */
const STORAGE_SOP_CLASS_ROOTS = ['1.2.840.10008.5.1.4.1.1.', '1.2.840.10008.5.1.4.34.', '1.2.840.10008.5.1.4.38.', '1.2.840.10008.5.1.4.43.', '1.2.840.10008.5.1.4.44.', '1.2.840.10008.5.1.4.45.'];

export function isStorageSopClass(uid: string): boolean {
  return STORAGE_SOP_CLASS_ROOTS.some((root) => uid.startsWith(root));
}

export const SOP_CLASS = {
  Verification: '1.2.840.10008.1.1',
  PatientRootFind: '1.2.840.10008.5.1.4.1.2.1.1',
  PatientRootMove: '1.2.840.10008.5.1.4.1.2.1.2',
  PatientRootGet: '1.2.840.10008.5.1.4.1.2.1.3',
  StudyRootFind: '1.2.840.10008.5.1.4.1.2.2.1',
  StudyRootMove: '1.2.840.10008.5.1.4.1.2.2.2',
  StudyRootGet: '1.2.840.10008.5.1.4.1.2.2.3',
  ModalityWorklistFind: '1.2.840.10008.5.1.4.31',
  ModalityPerformedProcedureStep: '1.2.840.10008.3.1.2.3.3',
  StorageCommitmentPushModel: '1.2.840.10008.1.20.1',
} as const;

const UID_PATTERN = /^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/;

/** A UID per PS3.5 9.1: dot-separated numeric components without leading zeros, at most 64 characters. */
export function isValidUid(uid: unknown): uid is string {
  return typeof uid === 'string' && uid.length > 0 && uid.length <= 64 && UID_PATTERN.test(uid);
}
