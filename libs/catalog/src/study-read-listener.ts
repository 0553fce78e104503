/**
 * Told of every read of studies through CatalogService.locate (C-MOVE, C-GET, WADO-RS,
 * forwarding). The catalogue does not know who listens: the archive lifecycle stamps last access
 * in its own table (libs/archive's StudyAccessRecorder), so the catalogue never writes a table it
 * does not own and does not import the lib that sits above it.
 */
export interface StudyReadListener {
  /** Called on the hot path of every retrieve: must not wait for I/O. */
  note(studyUids: ReadonlySet<string>): void;
}
