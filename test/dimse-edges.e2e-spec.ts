/**
 * The DICOM port's hardened edges (issue #10): association state machine, PDU limits, association
 * cap, ARTIM and idle timeouts, AE titles bound to addresses, inflate and sequence-depth limits.
 * Raw PDUs (test/support/raw-dimse.ts) where only a misbehaving peer can say it, dcmtk otherwise.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { readPart10 } from '@krypton/dicom-codec';
import { dcmtk } from './support/dcmtk';
import { ROOT } from './support/env';
import { Hub } from './support/hub';
import { associateRq, echoCommand, pData, RawPeer, releaseRq, storeCommand, storeRawBytes } from './support/raw-dimse';
import { waitFor } from './support/wait-for';
import { el, marker, uidValue as ui } from '../libs/dicom-codec/src/testing/raw-elements';

jest.setTimeout(120_000);

const CT = '1.2.840.10008.5.1.4.1.1.2';
const VERIFICATION = '1.2.840.10008.1.1';
const PDU = { AssociateAc: 2, AssociateRj: 3, PData: 4, ReleaseRp: 6, Abort: 7 } as const;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('DICOM port edges (raw PDUs and dcmtk against the gateway)', () => {
  const hub = new Hub({
    name: 'dimse-edges',
    redisDb: 0,
    aes: [
      { aeTitle: 'FARAWAY', site: 'chu-nord', addresses: ['10.9.9.0/24'] },
      { aeTitle: 'LOCALONLY', site: 'chu-nord', addresses: ['127.0.0.1', '::1'] },
    ],
    config: { dicom: { aeTitle: 'KRYPTON', maxAssociations: 3, artimTimeoutSeconds: 1, idleTimeoutSeconds: 2, maxInflatedMb: 1, maxSequenceDepth: 8 } },
  });
  let ct: { body: Buffer; sopInstanceUid: string };

  beforeAll(async () => {
    await hub.start(['dicom-gateway']);
    await waitFor('gateway', () => dcmtk('echoscu', hub.scu()).status === 0, 60_000, 300);
    const dir = join(hub.dir, 'ct');
    execFileSync(join(ROOT, 'bench/generate-ct.py'), [dir, '1', '--seed', '31']);
    const file = readFileSync(join(dir, readdirSync(dir)[0]));
    const groupLength = file.readUInt32LE(128 + 4 + 8);
    ct = { body: file.subarray(128 + 4 + 12 + groupLength), sopInstanceUid: readPart10(file, { untilPixelData: true }).dataset.SOPInstanceUID };
  });

  afterAll(() => hub.stop());

  it('closes the connection after A-ASSOCIATE-RJ and processes nothing sent after it', async () => {
    const peer = await RawPeer.open(hub.dicomPort);
    // The reject and a C-STORE in one write: the C-STORE is already there when the hub rejects.
    peer.send(associateRq('INTRUDER', 'KRYPTON', [CT]), pData(1, 3, storeCommand(CT, ct.sopInstanceUid)), pData(1, 2, ct.body));
    await peer.closed;
    expect(peer.types()).toEqual([PDU.AssociateRj]);
    expect(walk(hub.storageRoot).filter((f) => f.includes(ct.sopInstanceUid))).toEqual([]);
  });

  it('aborts P-DATA sent before acceptance and P-DATA on a presentation context that was not accepted', async () => {
    const early = await RawPeer.open(hub.dicomPort);
    early.send(pData(1, 3, echoCommand()));
    await early.closed;
    expect(early.types()).toEqual([PDU.Abort]);

    const wrong = await RawPeer.open(hub.dicomPort);
    wrong.send(associateRq('MODALITY1', 'KRYPTON', [VERIFICATION]));
    await wrong.waitFor(PDU.AssociateAc);
    // Context 3 was never proposed, so never accepted.
    wrong.send(pData(3, 3, echoCommand()));
    await wrong.closed;
    expect(wrong.types()).toEqual([PDU.AssociateAc, PDU.Abort]);

    const right = await RawPeer.open(hub.dicomPort);
    right.send(associateRq('MODALITY1', 'KRYPTON', [VERIFICATION]));
    await right.waitFor(PDU.AssociateAc);
    right.send(pData(1, 3, echoCommand()));
    await right.waitFor(PDU.PData);
    right.send(releaseRq());
    await right.closed;
    expect(right.types()).toEqual([PDU.AssociateAc, PDU.PData, PDU.ReleaseRp]);
  });

  it('caps the PDU length: a fixed cap before acceptance, the announced maximum after', async () => {
    const huge = await RawPeer.open(hub.dicomPort);
    // A 1 GiB A-ASSOCIATE-RQ announced: refused on its header, nothing buffered.
    huge.send(Buffer.from([0x01, 0, 0x40, 0, 0, 0]), Buffer.alloc(1000));
    await huge.closed;
    expect(huge.types()).toEqual([PDU.Abort]);

    const big = await RawPeer.open(hub.dicomPort);
    big.send(associateRq('MODALITY1', 'KRYPTON', [CT]));
    await big.waitFor(PDU.AssociateAc);
    const announced = big.last().subarray(6);
    expect(announced.length).toBeGreaterThan(0);
    // The gateway announces 256 KiB (dicom.maxPduLength): a 1 MiB P-DATA is refused.
    const header = Buffer.from([0x04, 0, 0, 0x10, 0, 0]);
    big.send(header, Buffer.alloc(2000));
    await big.closed;
    expect(big.types()).toEqual([PDU.AssociateAc, PDU.Abort]);
    expect(big.last()[9]).toBe(6); // invalid PDU parameter value
  });

  it('rejects associations beyond dicom.maxAssociations with "local limit exceeded", and takes them again once one ends', async () => {
    const held: RawPeer[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await RawPeer.open(hub.dicomPort);
      p.send(associateRq('MODALITY1', 'KRYPTON', [VERIFICATION]));
      await p.waitFor(PDU.AssociateAc);
      held.push(p);
    }
    const r = dcmtk('echoscu', hub.scu());
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/Local Limit Exceeded/i);
    const extra = await RawPeer.open(hub.dicomPort);
    extra.send(associateRq('MODALITY1', 'KRYPTON', [VERIFICATION]));
    await extra.closed;
    // Transient (2), service provider presentation (3), local limit exceeded (2).
    expect([...extra.last().subarray(7, 10)]).toEqual([2, 3, 2]);
    held[0].send(releaseRq());
    await held[0].closed;
    await waitFor('a slot again', () => dcmtk('echoscu', hub.scu()).status === 0, 10_000, 200);
    for (const p of held) p.destroy();
  });

  it('closes a connection that sends no A-ASSOCIATE-RQ within ARTIM, and aborts an idle association', async () => {
    const silent = await RawPeer.open(hub.dicomPort);
    const silentFor = await silent.closed;
    expect(silentFor).toBeGreaterThanOrEqual(900);
    expect(silentFor).toBeLessThan(10_000);

    const idle = await RawPeer.open(hub.dicomPort);
    idle.send(associateRq('MODALITY1', 'KRYPTON', [VERIFICATION]));
    await idle.waitFor(PDU.AssociateAc);
    const idleFor = await idle.closed;
    expect(idle.types()).toEqual([PDU.AssociateAc, PDU.Abort]);
    expect(idleFor).toBeGreaterThanOrEqual(1900);
    expect(idleFor).toBeLessThan(15_000);
  });

  it('recognises an AE bound to addresses only from them', () => {
    const far = dcmtk('echoscu', hub.scu('FARAWAY'));
    expect(far.status).not.toBe(0);
    expect(far.stdout + far.stderr).toMatch(/Calling AE Title Not Recognized/i);
    expect(dcmtk('echoscu', hub.scu('LOCALONLY')).status).toBe(0);
  });

  it('answers 0xA700 for a deflated data set that inflates past the limit and 0xC000 for sequences nested too deep, and keeps serving', async () => {
    const uids = Buffer.concat([el(0x0008, 0x0016, 'UI', ui(CT)), el(0x0008, 0x0018, 'UI', ui('1.2.3.4242.1'))]);
    const tail = Buffer.concat([el(0x0020, 0x000d, 'UI', ui('1.2.3.4242.2')), el(0x0020, 0x000e, 'UI', ui('1.2.3.4242.3'))]);
    // 8 MiB of zeros in OB: about 8 KiB deflated, 8 times the 1 MiB limit inflated.
    const bomb = deflateRawSync(Buffer.concat([uids, tail, el(0x7fe0, 0x0010, 'OB', Buffer.alloc(8 * 1048576))]));
    const deflated = await storeRawBytes(hub.dicomPort, 'MODALITY1', CT, '1.2.3.4242.1', bomb, '1.2.840.10008.1.2.1.99');
    expect(deflated).toBe(0xa700);

    let nested = Buffer.alloc(0);
    for (let i = 0; i < 20; i++) {
      nested = Buffer.concat([el(0x0008, 0x1115, 'SQ', Buffer.alloc(0), 0xffffffff), marker(0xe000, 0xffffffff), nested, marker(0xe00d, 0), marker(0xe0dd, 0)]);
    }
    const deep = await storeRawBytes(hub.dicomPort, 'MODALITY1', CT, '1.2.3.4242.1', Buffer.concat([uids, nested, tail]));
    expect(deep & 0xf000).toBe(0xc000);
    expect(walk(hub.storageRoot).filter((f) => f.includes('1.2.3.4242.'))).toEqual([]);
    expect(dcmtk('echoscu', hub.scu()).status).toBe(0);
  });
});
