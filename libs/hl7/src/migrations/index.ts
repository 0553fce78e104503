import { Hl7Messages1766100000000 } from './1766100000000-hl7-messages';

/** The HL7 message journal's migrations, in order. */
export const HL7_MIGRATIONS = [Hl7Messages1766100000000];
