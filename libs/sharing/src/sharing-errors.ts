/**
 * A sharing act refused, with what an HTTP door needs to answer it: the status, and the field of
 * the request it is about (null when it is about the exam or the caller).
 */
export class SharingRefusedError extends Error {
  constructor(
    message: string,
    public readonly status: 403 | 404 | 409 | 410 | 422 | 423,
    public readonly field: string | null = null,
  ) {
    super(message);
    this.name = 'SharingRefusedError';
  }
}

/** The patient objects to sharing: no share or link is made (and existing ones stop working). */
export class PatientOpposedError extends SharingRefusedError {
  constructor(public readonly studyUids: readonly string[]) {
    super(`the patient objects to the sharing of their exams (opposition recorded); only break-the-glass (POST /access/emergency) opens ${studyUids.join(', ')}`, 409);
    this.name = 'PatientOpposedError';
  }
}

/** A patient link cannot be opened: unknown (404), expired or revoked (410), locked after too many wrong answers (423), wrong answer (403). */
export class LinkOpenRefusedError extends SharingRefusedError {
  constructor(
    message: string,
    status: 403 | 404 | 410 | 423,
    public readonly attemptsLeft: number | null = null,
  ) {
    super(message, status);
    this.name = 'LinkOpenRefusedError';
  }
}

/** The SMTP relay did not take a message. */
export class MailNotSentError extends Error {
  constructor(
    message: string,
    public readonly recipients: readonly string[],
  ) {
    super(message);
    this.name = 'MailNotSentError';
  }
}
