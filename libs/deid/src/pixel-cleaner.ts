import { Captured, Elements } from '@krypton/dicom-codec';
import { RawValues } from './raw-values';

/** A rectangle of the image, in pixels from the top-left corner. */
export interface PixelRegion {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * A project's rule for one device whose images burn text at known places (an ultrasound's
 * header band, a screen grab's banner): objects it matches are exported with those regions
 * blanked instead of quarantined. Every field given must match (case-insensitive, trimmed).
 */
export interface PixelCleaningRule {
  readonly manufacturer?: string;
  readonly model?: string;
  readonly sopClassUid?: string;
  readonly regions: readonly PixelRegion[];
}

const same = (a: string | undefined, b: string) => a === undefined || a.trim().toUpperCase() === b.trim().toUpperCase();

export function matchingRule(rules: readonly PixelCleaningRule[], manufacturer: string, model: string, sopClassUid: string): PixelCleaningRule | undefined {
  return rules.find((r) => same(r.manufacturer, manufacturer) && same(r.model, model) && same(r.sopClassUid, sopClassUid) && (r.manufacturer ?? r.model ?? r.sopClassUid) !== undefined);
}

/**
 * Blanks (sets to 0) the rule's regions in every frame of native (uncompressed) pixel data and
 * returns the new Pixel Data element, or the reason it cannot: compressed pixels would need a
 * codec, and 1-bit or odd sample sizes are not handled — those objects stay quarantined.
 */
export function cleanPixels(dataset: Elements, text: RawValues, rule: PixelCleaningRule, native: boolean): Captured | string {
  const pixels = dataset.get(0x7fe00010);
  if (!pixels || pixels.items) return 'no native Pixel Data to clean';
  if (!native) return 'a pixel-cleaning rule matches but the pixel data is compressed (decoding is not supported)';
  const us = (tag: number) => {
    const el = dataset.get(tag);
    return el && el.value.length >= 2 ? el.value.readUInt16LE(0) : undefined;
  };
  const rows = us(0x00280010);
  const columns = us(0x00280011);
  const bitsAllocated = us(0x00280100);
  const samples = us(0x00280002) ?? 1;
  const planar = us(0x00280006) ?? 0;
  const framesEl = dataset.get(0x00280008);
  const frames = framesEl ? Number(text.strings(framesEl)[0] ?? '1') || 1 : 1;
  if (!rows || !columns || !bitsAllocated || bitsAllocated % 8 !== 0) return `pixel-cleaning needs Rows, Columns and a whole-byte BitsAllocated (got ${bitsAllocated ?? 'none'})`;
  const bytes = bitsAllocated / 8;
  const frameSize = rows * columns * samples * bytes;
  if (pixels.value.length < frameSize * frames) return 'Pixel Data is shorter than Rows × Columns × frames';
  const out = Buffer.from(pixels.value);
  for (let f = 0; f < frames; f++) {
    const base = f * frameSize;
    for (const r of rule.regions) {
      const x1 = Math.min(columns, r.x + r.width);
      const y1 = Math.min(rows, r.y + r.height);
      for (let y = Math.max(0, r.y); y < y1; y++) {
        if (samples > 1 && planar === 1) {
          for (let s = 0; s < samples; s++) {
            const start = base + (s * rows * columns + y * columns + Math.max(0, r.x)) * bytes;
            out.fill(0, start, base + (s * rows * columns + y * columns + x1) * bytes);
          }
        } else {
          out.fill(0, base + (y * columns + Math.max(0, r.x)) * samples * bytes, base + (y * columns + x1) * samples * bytes);
        }
      }
    }
  }
  return { vr: pixels.vr, value: out };
}
