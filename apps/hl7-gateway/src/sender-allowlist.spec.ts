import { hl7SenderSchema } from '@krypton/config';
import { SenderAllowlist } from './sender-allowlist';

const list = new SenderAllowlist(
  [{ application: 'DPI', facility: 'CHU-NORD', addresses: ['10.1.0.0/16', '127.0.0.1'] }, { application: 'RIS', addresses: ['192.168.5.7'] }, { facility: 'CLINIQUE-SUD' }].map((s) =>
    hl7SenderSchema.parse(s),
  ),
);
const from = (app: string, facility: string, address: string) => list.check({ sendingApplication: app, sendingFacility: facility }, address);

describe('SenderAllowlist', () => {
  it('accepts a listed sender from a listed address (IPv4-mapped too, subnets, HD components)', () => {
    expect(from('DPI', 'CHU-NORD', '10.1.200.3')).toBeUndefined();
    expect(from('DPI^1.2.3^ISO', 'CHU-NORD', '::ffff:127.0.0.1')).toBeUndefined();
    expect(from('ANY', 'CLINIQUE-SUD', '203.0.113.9')).toBeUndefined();
  });

  it('names MSH-3 for an unknown application', () => {
    const named = new SenderAllowlist([hl7SenderSchema.parse({ application: 'DPI', facility: 'CHU-NORD' }), hl7SenderSchema.parse({ application: 'RIS' })]);
    const e = named.check({ sendingApplication: 'LABO', sendingFacility: 'CHU-NORD' }, '10.1.0.1')!;
    expect({ where: e.where, rejects: e.rejects, message: e.message }).toEqual({
      where: 'MSH-3',
      rejects: true,
      message: 'sending application "LABO" (MSH-3) is not an allowed sender (hl7.allowedSenders)',
    });
  });

  it('names MSH-4 for a known application from another facility (or an application only a facility entry admits)', () => {
    expect(from('DPI', 'CHU-SUD', '10.1.0.1')!.where).toBe('MSH-4');
    expect(from('LABO', 'CHU-NORD', '10.1.0.1')!.where).toBe('MSH-4');
  });

  it('names the source address when only the address is wrong', () => {
    const e = from('RIS', 'CHU-NORD', '192.168.5.8')!;
    expect(e.where).toBe('MSH');
    expect(e.message).toBe('source address 192.168.5.8 is not allowed for RIS@CHU-NORD (hl7.allowedSenders)');
  });

  it('accepts everyone when the list is empty', () => {
    expect(new SenderAllowlist([]).check({ sendingApplication: 'X' }, '1.2.3.4')).toBeUndefined();
  });

  it('refuses an entry naming nothing, and a malformed address, at configuration time', () => {
    expect(hl7SenderSchema.safeParse({}).success).toBe(false);
    expect(hl7SenderSchema.safeParse({ addresses: ['10.0.0.0/33'] }).success).toBe(false);
    expect(hl7SenderSchema.safeParse({ addresses: ['chu-nord.local'] }).success).toBe(false);
  });
});
