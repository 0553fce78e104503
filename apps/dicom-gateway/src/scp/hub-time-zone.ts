/**
 * DICOM dates and times (DA, TM) carry no zone: the modalities of the region read and write
 * French local time. The hub stores instants (timestamptz) and converts at the DICOM edge, in SQL,
 * so that daylight-saving changes are PostgreSQL's tz database's business, not ours.
 */
export const HUB_TIME_ZONE = 'Europe/Paris';
