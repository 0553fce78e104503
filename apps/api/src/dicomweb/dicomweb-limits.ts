/**
 * Limits of the DICOMweb services. Constants rather than configuration for now: they protect the
 * process (memory, disk) more than they express a site policy.
 */

/** Largest STOW-RS request body. Parts are held in memory one at a time, so this bounds disk use, not memory. */
export const MAX_STOW_REQUEST_BYTES = 2 * 1024 ** 3;

/**
 * Largest single part (one Part 10 object) of a STOW-RS request: it is buffered whole because
 * parsing proves completeness before the hub answers. Below Node's Buffer ceiling.
 */
export const MAX_STOW_PART_BYTES = 2 * 1024 ** 3 - 1;

/** Binary values above this size are sent as BulkDataURI in metadata, smaller ones inline (base64). */
export const INLINE_BINARY_MAX_BYTES = 1024;
