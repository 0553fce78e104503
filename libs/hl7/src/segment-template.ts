import Handlebars from 'handlebars';

/** A compiled template of an outbound message: the context in, the segments joined by CR out. */
export type SegmentTemplate<T> = (context: T) => string;

/**
 * Compiles an administrator's message template (config/hl7/*.hbs). Values must be HL7-escaped
 * before they reach the template, which is compiled with noEscape: Handlebars' HTML escaping would
 * turn `&` (the subcomponent separator) into `&amp;`. Template lines become CR-separated segments,
 * and blank lines are dropped so that `{{#if}}` and `{{#each}}` blocks need no care about
 * newlines. The message ends with CR, as MLLP receivers expect of the last segment.
 */
export function compileSegmentTemplate<T>(source: string): SegmentTemplate<T> {
  const template = Handlebars.create().compile(source, { noEscape: true, strict: false });
  return (context) => {
    const text = template(context)
      .split(/\r\n|\r|\n/)
      .filter((l) => l.trim() !== '')
      .join('\r');
    return `${text}\r`;
  };
}
