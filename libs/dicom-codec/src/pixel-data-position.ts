import { datasetCursor, DatasetSink, readElements } from './dataset-scanner';
import { InvalidDicomError } from './dicom-errors';
import { HEADER_TAGS } from './header-tags';

const PIXEL_DATA = 0x7fe00010;
const UNDEFINED_LENGTH = 0xffffffff;

/** Where the Pixel Data element (7FE0,0010) of a data set is. */
export interface PixelDataPosition {
  /** Offset of the element (its tag) in the data set. */
  readonly elementStart: number;
  /** Offset of its value. */
  readonly valueStart: number;
  /** Its VR as encoded (explicit VR), or as read for an implicit VR data set ('UN' there). */
  readonly vr: string;
  /** Its value length; null when undefined (encapsulated pixel data). */
  readonly length: number | null;
}

class Found {
  constructor(readonly position: PixelDataPosition) {}
}

/**
 * Finds the top-level Pixel Data element of a data set from its first bytes, walking the element
 * headers before it through the hub's element loop (readElements) and building nothing. 'absent'
 * when the bytes hold the whole data set and it has none; null when they end, or turn malformed,
 * before it (the caller then reads the whole object, which reports what is wrong with it). Lets
 * WADO-RS metadata read a CT slice's few kilobytes of attributes instead of its half megabyte.
 */
export function findPixelData(body: Buffer, transferSyntaxUid: string): PixelDataPosition | 'absent' | null {
  const c = datasetCursor(body, transferSyntaxUid);
  const sink: DatasetSink<object> = {
    vrOf: (tag) => HEADER_TAGS[tag]?.vr ?? 'UN',
    open: () => ({}),
    keeps: (tag) => {
      if (tag !== PIXEL_DATA) return false;
      // Called with the cursor on the value, the header just read: OB/OW/UN have the long explicit form.
      const headerLength = c.explicit ? 12 : 8;
      throw new Found({ elementStart: c.pos - headerLength, valueStart: c.pos, vr: c.hVr, length: c.hLen === UNDEFINED_LENGTH ? null : c.hLen });
    },
    value: () => undefined,
    items: () => undefined,
    fragments: () => undefined,
  };
  try {
    readElements(c, body.length, sink);
    return 'absent';
  } catch (e) {
    if (e instanceof Found) return e.position;
    if (e instanceof InvalidDicomError) return null;
    throw e;
  }
}
