import * as dimse from 'dcmjs-dimse';
import { readStoreCommand } from './store-command';

const { Dataset } = dimse;
const { CStoreRequest, CFindRequest } = dimse.requests;

describe('readStoreCommand', () => {
  /** The command set as dcmjs-dimse's SCU sends it (implicit VR little endian, with its group length). */
  const commandBytes = (request: any): Buffer => Buffer.from(request.getCommandDataset().getDenaturalizedCommandDataset());

  it('reads the fields of a C-STORE-RQ encoded by dcmjs-dimse', () => {
    const req = new CStoreRequest(new Dataset({ SOPClassUID: '1.2.840.10008.5.1.4.1.1.2', SOPInstanceUID: '1.2.3.4.5' }, '1.2.840.10008.1.2.1'));
    req.setMessageId(4242);
    expect(readStoreCommand(commandBytes(req))).toEqual({ messageId: 4242, sopClassUid: '1.2.840.10008.5.1.4.1.1.2', sopInstanceUid: '1.2.3.4.5', hasDataset: true });
  });

  it('leaves any other command to dcmjs-dimse (null)', () => {
    const req = new CFindRequest();
    req.setMessageId(7);
    expect(readStoreCommand(commandBytes(req))).toBeNull();
  });

  it('refuses a command set whose element overruns it', () => {
    const req = new CStoreRequest(new Dataset({ SOPClassUID: '1.2.840.10008.5.1.4.1.1.2', SOPInstanceUID: '1.2.3.4.5' }, '1.2.840.10008.1.2.1'));
    const bytes = commandBytes(req);
    expect(readStoreCommand(bytes.subarray(0, bytes.length - 3))).toBeNull();
  });
});
