import { decideDisclosure } from './disclosure';

describe('decideDisclosure (the patient opposition, issue #11)', () => {
  it('lets everything through when the patient does not object', () => {
    expect(decideDisclosure('route', { opposed: false, fromSite: 'chu-nord', toSite: 'region' })).toEqual({ allowed: true, reason: 'route:no-opposition' });
  });

  it('refuses a copy to another site, a prior from one, a share and a link, with the same reason', () => {
    expect(decideDisclosure('route', { opposed: true, fromSite: 'chu-nord', toSite: 'region' })).toEqual({ allowed: false, reason: 'the patient objects to sharing: no copy routed to another site' });
    expect(decideDisclosure('prior-fetch', { opposed: true, fromSite: 'chu-nord', toSite: null }).allowed).toBe(false);
    expect(decideDisclosure('share', { opposed: true, fromSite: null, toSite: null }).reason).toBe('the patient objects to sharing: no share of their exams');
    expect(decideDisclosure('link', { opposed: true, fromSite: 'chu-nord', toSite: null }).allowed).toBe(false);
  });

  it('an unknown origin counts as leaving; within the same site is no disclosure', () => {
    expect(decideDisclosure('route', { opposed: true, fromSite: null, toSite: 'chu-nord' }).allowed).toBe(false);
    expect(decideDisclosure('route', { opposed: true, fromSite: 'chu-nord', toSite: 'chu-nord' })).toEqual({ allowed: true, reason: 'route:same-site' });
  });
});
