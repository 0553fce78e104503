/** The patient as the request carried it (`RequestPatient` in `libs/pathway`), read defensively from jsonb. */
export interface WorklistPatient {
  readonly ins?: string;
  readonly identifiers?: readonly { readonly value: string; readonly issuer: string }[];
  readonly familyName: string;
  readonly givenName?: string;
  readonly birthDate?: string;
  readonly sex?: string;
}

/** One `worklist_item` joined with its `exam_request`, dates already in the hub's local time. */
export interface WorklistRow {
  readonly request_id: string;
  readonly accession_number: string;
  readonly study_instance_uid: string;
  readonly requested_procedure_id: string;
  readonly sps_id: string;
  readonly site: string;
  readonly ae_title: string;
  readonly modality: string | null;
  /** Local date of `scheduled_at`, YYYYMMDD. */
  readonly sps_date: string;
  /** Local time of `scheduled_at`, HHMMSS. */
  readonly sps_time: string;
  readonly procedure_code: string;
  readonly procedure_label: string | null;
  readonly patient: WorklistPatient;
  readonly priority: string;
  readonly referrer: { readonly name?: string; readonly rpps?: string } | null;
  readonly clinical_information: string | null;
  readonly placer_order_number: string | null;
}
