import type { KryptonConfig } from '@krypton/config';
import type { ProtocolReferences } from '@krypton/protocol';

/** What a protocol may name, from the configuration: destinations are AEs with an address and the web destinations (STOW-RS). */
export function protocolReferences(cfg: KryptonConfig): ProtocolReferences {
  return {
    destinations: [...cfg.aes.filter((a) => a.host !== undefined).map((a) => a.name ?? a.aeTitle), ...cfg.webDestinations.map((d) => d.name)],
    sites: cfg.sites.map((s) => s.id),
    pools: cfg.pathway.reading.pools.map((p) => p.id),
    aes: cfg.aes.map((a) => a.aeTitle),
  };
}

/** Calling AE title → site, for the `sourceSites` criterion. */
export function siteOfAe(cfg: KryptonConfig): Map<string, string> {
  return new Map(cfg.aes.map((a) => [a.aeTitle, a.site]));
}
