import * as dimse from 'dcmjs-dimse';
import { readCommandSet } from './command-set-reader';

const { CStoreResponse, NActionResponse } = dimse.responses as any;

/** What dcmjs-dimse itself produces for a response's command set, read back by dcmjs and by the fast reader. */
function both(res: any): { dcmjs: Record<string, unknown>; fast: Record<string, unknown> | null } {
  const bytes: Buffer = res.getCommandDataset().getDenaturalizedCommandDataset();
  const dcmjs = new (dimse.Dataset as any)(bytes, '1.2.840.10008.1.2').getElements();
  return { dcmjs, fast: readCommandSet(bytes) };
}

describe('readCommandSet', () => {
  it('reads a C-STORE response exactly as dcmjs does', () => {
    const res = new CStoreResponse(0xa700, 'out of resources');
    res.setAffectedSopClassUid('1.2.840.10008.5.1.4.1.1.2');
    res.setAffectedSopInstanceUid('1.2.3.4.5');
    res.setMessageIdBeingRespondedTo(7);
    const { dcmjs, fast } = both(res);
    expect(fast).toEqual(dcmjs);
    expect(fast).toMatchObject({ Status: 0xa700, ErrorComment: 'out of resources', AffectedSOPInstanceUID: '1.2.3.4.5', MessageIDBeingRespondedTo: 7 });
  });

  it('reads an N-ACTION response exactly as dcmjs does', () => {
    const res = new NActionResponse('1.2.840.10008.1.20.1', '1.2.840.10008.1.20.1.1', 1, 0, '');
    res.setMessageIdBeingRespondedTo(3);
    const { dcmjs, fast } = both(res);
    expect(fast).toEqual(dcmjs);
  });

  it('gives up (null) on an element it does not know, for dcmjs to read', () => {
    const b = Buffer.alloc(10);
    b.writeUInt16LE(0x0000, 0);
    b.writeUInt16LE(0x0901, 2); // Offending Element (AT)
    b.writeUInt32LE(2, 4);
    expect(readCommandSet(b)).toBeNull();
  });
});
