/** Where DICOMweb is mounted; RetrieveURL and BulkDataURI values are built under it. */
export const DICOMWEB_BASE_PATH = 'dicomweb';

/**
 * Absolute URLs of DICOMweb resources. Absolute because dicomweb-client and OHIF follow
 * BulkDataURI and RetrieveURL as given; UIDs need no escaping (digits and dots).
 */
export class DicomwebUrls {
  readonly base: string;

  constructor(origin: string) {
    this.base = `${origin.replace(/\/+$/, '')}/${DICOMWEB_BASE_PATH}`;
  }

  study(study: string): string {
    return `${this.base}/studies/${study}`;
  }

  series(study: string, series: string): string {
    return `${this.study(study)}/series/${series}`;
  }

  instance(study: string, series: string, instance: string): string {
    return `${this.series(study, series)}/instances/${instance}`;
  }

  bulk(study: string, series: string, instance: string, path: string): string {
    return `${this.instance(study, series, instance)}/bulk/${path}`;
  }
}

/**
 * The origin clients reach us at: the configured public URL when the hub sits behind a proxy
 * (Host and scheme seen here would then be the proxy's), else the request's own.
 */
export function requestOrigin(publicUrl: string | undefined, req: { protocol: string; get(name: string): string | undefined }): string {
  return publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}
