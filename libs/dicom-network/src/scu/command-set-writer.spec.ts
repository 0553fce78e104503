import * as dimse from 'dcmjs-dimse';
import { readCommandSet } from './command-set-reader';
import { writeCommandSet } from './command-set-writer';

const { CStoreRequest, CMoveRequest, CEchoRequest, NActionRequest } = dimse.requests as any;
const { CStoreResponse, CMoveResponse, CFindResponse } = dimse.responses as any;

/** dcmjs-dimse's own bytes for the command (this suite never installs the fast writer). */
const dcmjsBytes = (c: any): Buffer => c.getCommandDataset().getDenaturalizedCommandDataset();
const fastBytes = (c: any): Buffer | null => writeCommandSet(c.getCommandDataset().getElements());

describe('writeCommandSet', () => {
  it('writes a C-STORE request byte for byte as dcmjs does (odd-length UIDs padded with NUL)', () => {
    const ds = new (dimse.Dataset as any)({ SOPClassUID: '1.2.840.10008.5.1.4.1.1.2', SOPInstanceUID: '1.2.3.4.55' }, '1.2.840.10008.1.2.1');
    const req = new CStoreRequest(ds);
    req.setMessageId(4711);
    expect(fastBytes(req)).toEqual(dcmjsBytes(req));
    expect(readCommandSet(fastBytes(req) as Buffer)).toMatchObject({ AffectedSOPInstanceUID: '1.2.3.4.55', MessageID: 4711, CommandField: 0x0001 });
  });

  it('writes pending and final C-MOVE responses, with counters and an odd-length error comment', () => {
    const pending = CMoveResponse.fromRequest(new CMoveRequest());
    pending.setStatus(0xff00);
    pending.setRemaining(299);
    pending.setCompleted(1);
    pending.setFailures(0);
    pending.setWarnings(0);
    expect(fastBytes(pending)).toEqual(dcmjsBytes(pending));
    const final = CMoveResponse.fromRequest(new CMoveRequest());
    final.setStatus(0xa702);
    final.setErrorComment('destination gone');
    final.setCompleted(3);
    expect(fastBytes(final)).toEqual(dcmjsBytes(final));
    final.setErrorComment('destination gone!');
    expect(fastBytes(final)).toEqual(dcmjsBytes(final));
  });

  it('writes C-MOVE, C-ECHO and N-ACTION requests and C-FIND and C-STORE responses as dcmjs does', () => {
    const move = new CMoveRequest();
    move.setDestinationAet?.('STORESCP1');
    const echo = new CEchoRequest();
    const action = new NActionRequest('1.2.840.10008.1.20.1', '1.2.840.10008.1.20.1.1', 1);
    const find = CFindResponse.fromRequest(new (dimse.requests as any).CFindRequest());
    find.setStatus(0xff00);
    const store = new CStoreResponse(0xa700, 'out of resources');
    store.setAffectedSopClassUid('1.2.840.10008.5.1.4.1.1.2');
    store.setAffectedSopInstanceUid('1.2.3.4.5');
    store.setMessageIdBeingRespondedTo(7);
    for (const c of [move, echo, action, find, store]) expect(fastBytes(c)).toEqual(dcmjsBytes(c));
  });

  it('gives up (null) on an element it does not know or a value it cannot write, for dcmjs to write', () => {
    expect(writeCommandSet({ CommandField: 1, AttributeIdentifierList: ['00100010'] })).toBeNull();
    expect(writeCommandSet({ CommandField: 0x10000 })).toBeNull();
    expect(writeCommandSet({ AffectedSOPInstanceUID: ['1.2', '1.3'] })).toBeNull();
  });
});
