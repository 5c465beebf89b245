import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem, ProblemError, problemCodes, type Problem } from '../shared/problem.ts';
import { describeValidationErrors } from './validation.ts';

const internalError = problem(
  'internal_error',
  'Something went wrong on our side; the request was not applied. Try again, and report it if it persists.',
);

/** A problem as its RFC 9457 document. */
function problemDocument(value: Problem, instance: string | undefined) {
  const { code, detail, ...extras } = value;
  const { status, title } = problemCodes[code];
  return { type: `/problems/${code}`, title, status, detail, code, instance, ...extras };
}

/** The one place where a problem becomes an RFC 9457 `application/problem+json` response. */
export function sendProblem(reply: FastifyReply, value: Problem): FastifyReply {
  const document = problemDocument(value, reply.request.url);
  return reply.code(document.status).type('application/problem+json').send(document);
}

/** Fastify's longest path parameter (its `maxParamLength` default); no ID or SKU is longer. */
const MAX_SEGMENT_LENGTH = 100;

const overlongSegment = problem(
  'uri_too_long',
  'A path segment is longer than any ID or SKU Consign has; check the URL.',
);

function hasOverlongSegment(url: string): boolean {
  return url
    .split('?')[0]!
    .split('/')
    .some((segment) => segment.length > MAX_SEGMENT_LENGTH);
}

/** Fastify's refusals before any route runs (a malformed escape, an overlong path segment). */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      sendProblem(
        reply,
        problem('malformed_url', 'The path has a malformed %-escape; encode each segment with encodeURIComponent.'),
      );
      return;
    case 'FST_ERR_MAX_PARAM_LENGTH':
      sendProblem(reply, overlongSegment);
      return;
    default:
      sendProblem(reply, internalError);
  }
}

/**
 * Node's refusals of a request it could not read as HTTP (headers over the limit, a timeout,
 * garbage): answered on the socket as problem+json, then the connection is closed.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const value =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? problem('headers_too_large', 'The request line and headers exceed 64 KiB; send long data in the body instead.')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? problem('request_timeout', 'The request did not arrive in time; send it again.')
        : problem('malformed_request', 'The request could not be read as HTTP/1.1.');
  const body = JSON.stringify(problemDocument(value, undefined));
  const status = problemCodes[value.code].status;
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

const PG_UNIQUE_VIOLATION = '23505';
const PG_FOREIGN_KEY_VIOLATION = '23503';
const PG_CHECK_VIOLATION = '23514';

function fromDatabaseError(error: { code?: string; constraint?: string; detail?: string }): Problem | undefined {
  switch (error.code) {
    case PG_UNIQUE_VIOLATION:
      return problem('already_exists', `A record with the same key already exists (${error.constraint ?? 'unique'}).`);
    case PG_FOREIGN_KEY_VIOLATION:
      return problem('unknown_reference', `A referenced record does not exist (${error.constraint ?? 'foreign key'}).`);
    case PG_CHECK_VIOLATION:
      return problem('conflict', `The change would break the rule ${error.constraint ?? 'check'}.`, {
        constraint: error.constraint,
      });
    default:
      return undefined;
  }
}

function fromFastifyError(error: FastifyError): Problem | undefined {
  if (error.validation) {
    return problem('validation_failed', 'Some fields are missing or invalid; see errors.', {
      errors: describeValidationErrors(error.validation as never, error.validationContext ?? 'body'),
    });
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(
        'payload_too_large',
        'The request body is larger than this endpoint accepts; split it into smaller requests.',
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem('unsupported_media_type', 'Send the body as application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem('malformed_json', 'The body is empty; send a JSON object.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return problem('malformed_json', `The body is not valid JSON: ${error.message}`);
  }
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return problem('malformed_json', `The body is not valid JSON: ${error.message}`);
  }
  return undefined;
}

/** Answers a request no route matched (the console's pages), or leaves it to the 404 problem. */
type NotFoundFallback = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined;

export function registerErrorHandling(app: FastifyInstance, fallback?: NotFoundFallback): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ProblemError) return sendProblem(reply, error.problem);
    // Drizzle wraps driver errors: the SQLSTATE is on the cause.
    const known =
      fromFastifyError(error) ?? fromDatabaseError(((error as { cause?: unknown }).cause ?? error) as never);
    if (known) return sendProblem(reply, known);
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(reply, problem('validation_failed', error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, internalError);
  });
  app.setNotFoundHandler(
    (request, reply) =>
      fallback?.(request, reply) ??
      // With the console served, its catch-all route, not the overlong segment, is what the router saw.
      (hasOverlongSegment(request.url)
        ? sendProblem(reply, overlongSegment)
        : sendProblem(
            reply,
            problem('not_found', `No route ${request.method} ${request.url.split('?')[0]}. See /docs for the API.`),
          )),
  );
}
