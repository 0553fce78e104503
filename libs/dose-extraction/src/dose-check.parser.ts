import { DOSE_CHECK, matches } from './codes';
import { DoseCheckDetails, DoseCheckThresholds } from './dose-report';
import { Diagnostics, findItem, findQuantity, findText } from './measurement';
import { SrNode, descendantsOf } from './sr-tree';

/**
 * TID 10015 CT Dose Check Details: the alert and notification values the scanner was set to
 * (NEMA XR-25) and, when one fired, the forward estimate and the reason the operator gave for
 * proceeding. The hub keeps them beside the event so an over-exposure review starts from what the
 * scanner itself said, not from a recomputation.
 */
export function parseDoseCheck(acquisition: SrNode, diag: Diagnostics): DoseCheckDetails | null {
  const alert = descendantsOf(acquisition, DOSE_CHECK.alertDetails)[0] ?? null;
  const notification = descendantsOf(acquisition, DOSE_CHECK.notificationDetails)[0] ?? null;
  if (!alert && !notification) return null;
  return {
    alert: alert
      ? thresholds(alert, diag, {
          dlpConfigured: DOSE_CHECK.dlpAlertConfigured,
          ctdiVolConfigured: DOSE_CHECK.ctdiVolAlertConfigured,
          dlpValue: DOSE_CHECK.dlpAlertValue,
          ctdiVolValue: DOSE_CHECK.ctdiVolAlertValue,
          dlpForward: DOSE_CHECK.accumulatedDlpForwardEstimate,
          ctdiVolForward: DOSE_CHECK.accumulatedCtdiVolForwardEstimate,
        })
      : null,
    notification: notification
      ? thresholds(notification, diag, {
          dlpConfigured: DOSE_CHECK.dlpNotificationConfigured,
          ctdiVolConfigured: DOSE_CHECK.ctdiVolNotificationConfigured,
          dlpValue: DOSE_CHECK.dlpNotificationValue,
          ctdiVolValue: DOSE_CHECK.ctdiVolNotificationValue,
          dlpForward: DOSE_CHECK.dlpForwardEstimate,
          ctdiVolForward: DOSE_CHECK.ctdiVolForwardEstimate,
        })
      : null,
  };
}

type Def = (typeof DOSE_CHECK)[keyof typeof DOSE_CHECK];

function thresholds(
  container: SrNode,
  diag: Diagnostics,
  c: { dlpConfigured: Def; ctdiVolConfigured: Def; dlpValue: Def; ctdiVolValue: Def; dlpForward: Def; ctdiVolForward: Def },
): DoseCheckThresholds {
  return {
    dlpConfigured: yesNo(findItem(container, c.dlpConfigured)),
    ctdiVolConfigured: yesNo(findItem(container, c.ctdiVolConfigured)),
    dlpValue_mGy_cm: findQuantity(container, c.dlpValue, 'dlp', diag),
    ctdiVolValue_mGy: findQuantity(container, c.ctdiVolValue, 'doseMGy', diag),
    dlpForwardEstimate_mGy_cm: findQuantity(container, c.dlpForward, 'dlp', diag),
    ctdiVolForwardEstimate_mGy: findQuantity(container, c.ctdiVolForward, 'doseMGy', diag),
    reasonForProceeding: findText(container, DOSE_CHECK.reasonForProceeding),
    personName: findText(container, DOSE_CHECK.personName),
  };
}

function yesNo(item: SrNode | null): boolean | null {
  if (matches(item?.code, DOSE_CHECK.yes)) return true;
  if (matches(item?.code, DOSE_CHECK.no)) return false;
  return null;
}
