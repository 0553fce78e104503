import QRCode from 'qrcode';

/** The QR code of a patient link, for the printed exam sheet: a PNG (data URL) and an SVG document. */
export interface LinkQrCode {
  readonly png: string;
  readonly svg: string;
}

/**
 * Error correction level M (15 %) survives a folded or slightly smudged sheet while keeping a
 * ~90-character URL at a size phones read from arm's length.
 */
export async function linkQrCode(url: string): Promise<LinkQrCode> {
  const opts = { errorCorrectionLevel: 'M' as const, margin: 4 };
  const [png, svg] = await Promise.all([QRCode.toDataURL(url, { ...opts, type: 'image/png', scale: 6 }), QRCode.toString(url, { ...opts, type: 'svg' })]);
  return { png, svg };
}
