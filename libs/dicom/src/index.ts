export * from './uids';
export * from './file-meta';
export * from './dicom-errors';
export * from './dicom-reader';
export * from './index-record';
export * from './dimse-status';
export * from './scu/scu-errors';
export * from './scu/store-scu';
