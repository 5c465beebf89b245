import Handlebars from 'handlebars';

/** One template's parts: the subject and the plain-text part always, an HTML part for e-mail. */
export interface TemplateParts {
  subject: string;
  text: string;
  html: string | null;
}

/**
 * Renders a template against a view model. `strict` makes a misspelt field an error instead of
 * an empty string, and `knownHelpersOnly` allows only Handlebars' own block helpers, so a template
 * edited through the API can neither call code nor silently lose a tracking link or pickup code.
 * The HTML part is escaped; the subject and text parts are not (they are not HTML).
 */
export function renderParts(parts: TemplateParts, view: Record<string, unknown>): TemplateParts {
  return {
    subject: compile(parts.subject, true)(view).trim(),
    text: compile(parts.text, true)(view),
    html: parts.html === null ? null : compile(parts.html, false)(view),
  };
}

function compile(source: string, plain: boolean) {
  return Handlebars.compile(source, { strict: true, knownHelpersOnly: true, noEscape: plain });
}

/** Which part of a template cannot be used with this view model and why, or null when every part renders. */
export function renderProblem(
  parts: TemplateParts,
  view: Record<string, unknown>,
): { part: keyof TemplateParts; reason: string } | null {
  for (const part of ['subject', 'text', 'html'] as const) {
    const source = parts[part];
    if (source === null) continue;
    try {
      compile(source, part !== 'html')(view);
    } catch (error) {
      return { part, reason: error instanceof Error ? error.message : String(error) };
    }
  }
  return null;
}
