/**
 * Which objects may carry identity in their pixels, so that they are quarantined rather than
 * exported: BurnedInAnnotation (0028,0301) YES, or absent on a class whose images are screen
 * grabs or camera pictures that routinely show the patient's name (secondary capture,
 * ultrasound, visible light and video), and encapsulated documents (PDF/CDA text is identity).
 */
const BURN_PRONE: Record<string, string> = {
  '1.2.840.10008.5.1.4.1.1.7': 'Secondary Capture Image',
  '1.2.840.10008.5.1.4.1.1.7.1': 'Multi-frame Single Bit Secondary Capture Image',
  '1.2.840.10008.5.1.4.1.1.7.2': 'Multi-frame Grayscale Byte Secondary Capture Image',
  '1.2.840.10008.5.1.4.1.1.7.3': 'Multi-frame Grayscale Word Secondary Capture Image',
  '1.2.840.10008.5.1.4.1.1.7.4': 'Multi-frame True Color Secondary Capture Image',
  '1.2.840.10008.5.1.4.1.1.6.1': 'Ultrasound Image',
  '1.2.840.10008.5.1.4.1.1.6.2': 'Enhanced US Volume',
  '1.2.840.10008.5.1.4.1.1.3.1': 'Ultrasound Multi-frame Image',
  '1.2.840.10008.5.1.4.1.1.77.1.1': 'VL Endoscopic Image',
  '1.2.840.10008.5.1.4.1.1.77.1.1.1': 'Video Endoscopic Image',
  '1.2.840.10008.5.1.4.1.1.77.1.2': 'VL Microscopic Image',
  '1.2.840.10008.5.1.4.1.1.77.1.2.1': 'Video Microscopic Image',
  '1.2.840.10008.5.1.4.1.1.77.1.4': 'VL Photographic Image',
  '1.2.840.10008.5.1.4.1.1.77.1.4.1': 'Video Photographic Image',
};

export interface BurnedInFacts {
  readonly sopClassUid: string;
  readonly burnedInAnnotation?: string;
  readonly hasPixelData: boolean;
  readonly hasEncapsulatedDocument: boolean;
}

/** The reason to quarantine, or undefined when the pixels are not suspected of carrying identity. */
export function burnedInRisk(f: BurnedInFacts): string | undefined {
  if (f.hasEncapsulatedDocument) return 'encapsulated document: its content is free text that may name the patient';
  if (!f.hasPixelData) return undefined;
  const bia = (f.burnedInAnnotation ?? '').trim().toUpperCase();
  if (bia === 'YES') return 'BurnedInAnnotation (0028,0301) is YES';
  if (bia === '' && BURN_PRONE[f.sopClassUid]) return `BurnedInAnnotation (0028,0301) absent on a ${BURN_PRONE[f.sopClassUid]}, a class that often burns in text`;
  return undefined;
}
