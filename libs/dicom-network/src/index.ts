/**
 * @krypton/dicom-network — DIMSE on the wire: status codes, the C-STORE SCU (dcmjs-dimse) and the
 * hand-encoded C-STORE response PDU of the ingest hot path. Data itself is @krypton/dicom-codec's.
 */
export * from './dimse-status';
export * from './scu/scu-errors';
export * from './scu/store-scu';
export * from './pdu/store-response-pdu';
export * from './pdu/pdu-framer';
export * from './scu/stored-dataset';
export * from './scu/fast-pdata';
export * from './scu/command-set-reader';
export * from './scu/commitment-scu';
export * from './scu/query-retrieve-scu';
export * from './scu/one-request-association';
export * from './stow/stow-client';
