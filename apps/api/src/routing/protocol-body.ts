import { BadRequestException } from '@nestjs/common';

/**
 * A protocol arrives as YAML text (application/yaml, text/yaml, text/plain) — what administrators
 * edit — or as a JSON object. Both reach the same validator; anything else is a 400.
 */
export function protocolInput(body: unknown): string | object {
  if (typeof body === 'string') {
    if (!body.trim()) throw new BadRequestException('the body is empty: send the protocol as YAML or JSON');
    return body;
  }
  if (body && typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length > 0) return body;
  throw new BadRequestException('the body must be a protocol document, as YAML (content-type application/yaml) or a JSON object');
}
