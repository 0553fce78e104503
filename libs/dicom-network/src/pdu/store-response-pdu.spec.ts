import * as dimse from 'dcmjs-dimse';
import { encodeStoreResponseCommand, encodeStoreResponsePdu } from './store-response-pdu';

const { Dataset } = dimse;
const { CStoreRequest } = dimse.requests;
const { CStoreResponse } = dimse.responses;

describe('hand-encoded C-STORE response', () => {
  const fields = { messageIdBeingRespondedTo: 4242, affectedSopClassUid: '1.2.840.10008.5.1.4.1.1.2', affectedSopInstanceUid: '1.2.3.4.5', status: 0 };

  it('decodes to the same command as dcmjs-dimse encodes', () => {
    const req = new CStoreRequest(new Dataset({ SOPClassUID: fields.affectedSopClassUid, SOPInstanceUID: fields.affectedSopInstanceUid }, '1.2.840.10008.1.2.1'));
    req.setMessageId(fields.messageIdBeingRespondedTo);
    const res = CStoreResponse.fromRequest(req);
    res.setStatus(0);
    const theirs = new Dataset(res.getCommandDataset().getDenaturalizedCommandDataset(), '1.2.840.10008.1.2').getElements();
    const ours = new Dataset(encodeStoreResponseCommand(fields), '1.2.840.10008.1.2').getElements();
    for (const k of ['AffectedSOPClassUID', 'CommandField', 'MessageIDBeingRespondedTo', 'CommandDataSetType', 'Status', 'AffectedSOPInstanceUID']) {
      expect(ours[k]).toEqual(theirs[k]);
    }
  });

  it('carries the Error Comment of a failure, cut to LO length', () => {
    const comment = 'x'.repeat(70);
    const ours = new Dataset(encodeStoreResponseCommand({ ...fields, status: 0xa900, errorComment: comment }), '1.2.840.10008.1.2').getElements();
    expect(ours.Status).toBe(0xa900);
    expect(String(ours.ErrorComment).trim()).toBe(comment.slice(0, 64));
    expect(ours.AffectedSOPInstanceUID).toBe(fields.affectedSopInstanceUid);
  });

  it('frames it as one P-DATA-TF PDU with a last-fragment command PDV', () => {
    const pdu = encodeStoreResponsePdu({ ...fields, presentationContextId: 7 });
    expect(pdu[0]).toBe(0x04);
    expect(pdu.readUInt32BE(2)).toBe(pdu.length - 6);
    expect(pdu.readUInt32BE(6)).toBe(pdu.length - 10);
    expect(pdu[10]).toBe(7);
    expect(pdu[11]).toBe(0x03);
  });
});
