import { loadConfig } from '@krypton/config';
import { join } from 'node:path';
import { checkAeTitles, decideContext } from './association-policy';

const cfg = loadConfig(join(__dirname, '../../../../../config/krypton.yaml'), {});

describe('association policy', () => {
  it('accepts a configured modality calling the hub', () => {
    expect(checkAeTitles(cfg, 'MODALITY1 ', 'KRYPTON')).toBeNull();
  });

  it('rejects an unknown calling AE with reason 3, permanent', () => {
    expect(checkAeTitles(cfg, 'INTRUDER', 'KRYPTON')).toMatchObject({ result: 1, source: 1, reason: 3 });
  });

  it('rejects a wrong called AE with reason 7', () => {
    expect(checkAeTitles(cfg, 'MODALITY1', 'OTHER')).toMatchObject({ reason: 7 });
  });

  it('accepts any calling AE when configured to', () => {
    expect(checkAeTitles({ ...cfg, dicom: { ...cfg.dicom, acceptUnknownCallingAe: true } }, 'ANYONE', 'KRYPTON')).toBeNull();
  });

  it("keeps the sender's preferred compressed syntax for storage", () => {
    expect(decideContext('1.2.840.10008.5.1.4.1.1.2', ['1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.1'])).toEqual({ accept: true, transferSyntax: '1.2.840.10008.1.2.4.90' });
  });

  it('prefers explicit VR over implicit VR for storage', () => {
    expect(decideContext('1.2.840.10008.5.1.4.1.1.2', ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1'])).toEqual({ accept: true, transferSyntax: '1.2.840.10008.1.2.1' });
    expect(decideContext('1.2.840.10008.5.1.4.1.1.2', ['1.2.840.10008.1.2'])).toEqual({ accept: true, transferSyntax: '1.2.840.10008.1.2' });
  });

  it('takes uncompressed syntaxes only for query/retrieve', () => {
    expect(decideContext('1.2.840.10008.5.1.4.1.2.2.1', ['1.2.840.10008.1.2.4.90'])).toEqual({ accept: false, reason: 'transfer-syntax' });
    expect(decideContext('1.2.840.10008.5.1.4.1.2.2.1', ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1'])).toEqual({ accept: true, transferSyntax: '1.2.840.10008.1.2.1' });
  });

  it('takes the Modality Worklist and MPPS SOP classes, uncompressed', () => {
    for (const sopClass of ['1.2.840.10008.5.1.4.31', '1.2.840.10008.3.1.2.3.3']) {
      expect(decideContext(sopClass, ['1.2.840.10008.1.2'])).toEqual({ accept: true, transferSyntax: '1.2.840.10008.1.2' });
      expect(decideContext(sopClass, ['1.2.840.10008.1.2.4.50'])).toEqual({ accept: false, reason: 'transfer-syntax' });
    }
  });

  it('rejects an unknown abstract syntax', () => {
    expect(decideContext('1.2.3.4', ['1.2.840.10008.1.2'])).toEqual({ accept: false, reason: 'abstract-syntax' });
  });
});
