import * as dcmjs from 'dcmjs';

const { DicomMessage } = dcmjs.data as unknown as {
  DicomMessage: { readFile(b: ArrayBuffer): { dict: Record<string, { Value: unknown[] }>; meta: Record<string, { Value: unknown[] }>; write(): ArrayBuffer } };
};

/** `count` copies of one object as the instances of a new study `studyUid` (new series and SOP UIDs). */
export function variantsOf(file: Buffer, count: number, studyUid: string): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 1; i <= count; i++) {
    const msg = DicomMessage.readFile(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
    const sop = `${studyUid}.1.${i}`;
    msg.dict['0020000D'].Value = [studyUid];
    msg.dict['0020000E'].Value = [`${studyUid}.1`];
    msg.dict['00080018'].Value = [sop];
    msg.meta['00020003'].Value = [sop];
    out.push(Buffer.from(msg.write()));
  }
  return out;
}
