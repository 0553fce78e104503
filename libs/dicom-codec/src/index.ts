/**
 * @krypton/dicom-codec — DICOM data, no sockets: the Part 10 reader (one walker over the element
 * headers for the catalogue scan and the natural data set), the file meta writer, UIDs, the
 * catalogue's index record. Pure but for dcmjs's dictionary and node's zlib and text decoders.
 */
export * from './uids';
export * from './new-uid';
export * from './file-meta';
export * from './dicom-errors';
export * from './dicom-reader';
export * from './dataset-scanner';
export * from './stream-scanner';
export * from './header-tags';
export * from './index-record';
export * from './fast-reader';
export * from './dataset-writer';
export * from './transcode';
export * from './pixel-data-position';
