/** A FHIR R4 OperationOutcome issue; `expression` is the FHIRPath of the offending element. */
export interface OutcomeIssue {
  readonly severity: 'error' | 'warning';
  readonly code: 'invalid' | 'required' | 'value' | 'not-supported' | 'conflict' | 'not-found' | 'forbidden' | 'exception';
  readonly diagnostics: string;
  readonly expression?: readonly string[];
}

export interface OperationOutcome {
  readonly resourceType: 'OperationOutcome';
  readonly issue: readonly OutcomeIssue[];
}

/** A ServiceRequest the hub cannot take; `path` names the element (FHIRPath), as the client wrote it. */
export class FhirInputError extends Error {
  constructor(
    public readonly path: string,
    message: string,
    public readonly code: OutcomeIssue['code'] = 'invalid',
  ) {
    super(`${path}: ${message}`);
    this.name = 'FhirInputError';
  }

  toOutcome(): OperationOutcome {
    return operationOutcome(this.code, this.message, this.path);
  }
}

export function operationOutcome(code: OutcomeIssue['code'], diagnostics: string, path?: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics, ...(path ? { expression: [path] } : {}) }] };
}
