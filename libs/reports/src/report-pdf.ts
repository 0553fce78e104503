import PDFDocument from 'pdfkit';
import type { ReportBlock } from './report-renderer';
import { toWinAnsi } from './win-ansi';

export interface ReportPdfInput {
  readonly blocks: readonly ReportBlock[];
  /** Printed at the foot of every page with the page number: each sheet must name its patient. */
  readonly footer: string;
  /** Document properties (Unicode: PDF stores them as UTF-16, not in the font's encoding). */
  readonly info: { readonly title: string; readonly author: string; readonly subject: string };
  /** CreationDate and ModDate. The signature time, not "now", so that one report always gives the same bytes. */
  readonly signedAt: Date;
  /** Deflate the page contents (default). Tests turn it off to read the text back. */
  readonly compress?: boolean;
}

const MARGIN = 56; // 2 cm
const FOOTER_SPACE = 40;
const BODY_SIZE = 10;
const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';

type Doc = PDFKit.PDFDocument;

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

/** A heading in the last lines of a page goes to the next one with the text it announces. */
function keepWithNext(doc: Doc, lines: number): void {
  const bottom = doc.page.height - doc.page.margins.bottom;
  if (doc.y + lines * doc.currentLineHeight(true) > bottom) doc.addPage();
}

function drawBlock(doc: Doc, b: ReportBlock): void {
  const width = contentWidth(doc);
  const x = doc.page.margins.left;
  switch (b.kind) {
    case 'title':
      doc.moveDown(0.4).font(BOLD).fontSize(15).fillColor('#000000').text(toWinAnsi(b.text), x, doc.y, { width });
      doc.moveDown(0.4);
      break;
    case 'heading':
      doc.moveDown(0.5).font(BOLD).fontSize(11);
      keepWithNext(doc, 4);
      doc.fillColor('#1f3a5f').text(toWinAnsi(b.text), x, doc.y, { width }).fillColor('#000000');
      doc.moveDown(0.2);
      break;
    case 'field':
      doc
        .font(BOLD)
        .fontSize(BODY_SIZE)
        .text(`${toWinAnsi(b.label)} : `, x, doc.y, { width, continued: true });
      doc.font(REGULAR).text(toWinAnsi(b.value));
      break;
    case 'text':
      doc.font(REGULAR).fontSize(BODY_SIZE).text(toWinAnsi(b.text), x, doc.y, { width });
      break;
    case 'rule': {
      doc.moveDown(0.3);
      const y = doc.y;
      doc
        .save()
        .moveTo(x, y)
        .lineTo(x + width, y)
        .lineWidth(0.5)
        .strokeColor('#888888')
        .stroke()
        .restore();
      doc.moveDown(0.5);
      break;
    }
    case 'blank':
      doc.moveDown(0.6);
      break;
  }
}

function drawFooters(doc: Doc, footer: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would make pdfkit start a new page; lift it while the footer is drawn.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font(REGULAR)
      .fontSize(8)
      .fillColor('#555555')
      .text(`${toWinAnsi(footer)} — page ${i + 1}/${range.count}`, MARGIN, doc.page.height - FOOTER_SPACE, { width: contentWidth(doc), align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}

/** Lays the rendered report out on A4 pages (pdfkit, standard fonts) and answers the PDF bytes. */
export function renderReportPdf(input: ReportPdfInput): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_SPACE / 2 },
    compress: input.compress ?? true,
    bufferPages: true,
    info: {
      Title: input.info.title,
      Author: input.info.author,
      Subject: input.info.subject,
      Creator: 'Krypton',
      Producer: 'Krypton',
      CreationDate: input.signedAt,
      ModDate: input.signedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const b of input.blocks) drawBlock(doc, b);
  drawFooters(doc, input.footer);
  doc.end();
  return done;
}
