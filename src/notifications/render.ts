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

/** Why a template cannot be used with this view model, or null when it renders. */
export function renderProblem(parts: TemplateParts, view: Record<string, unknown>): string | null {
  try {
    renderParts(parts, view);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
