import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type FieldError, invalid } from './errors.js';
import { type Locale, localeOf, type MessageCode, translate } from './i18n.js';
import { describeIssue } from './validation-messages.js';

export type ProblemDocument = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: MessageCode;
  instance: string;
  requestId: string;
  errors?: { field: string; message: string }[];
};

export const PROBLEM_TYPE_BASE = 'https://convoy.invalid/problems/';

export function problemOf(error: AppError, request: FastifyRequest, locale: Locale): ProblemDocument {
  const doc: ProblemDocument = {
    type: PROBLEM_TYPE_BASE + error.code.toLowerCase().replace(/_/g, '-'),
    title: translate(error.code, 'title', error.params, locale),
    status: error.status,
    detail: translate(error.code, 'detail', error.params, locale),
    code: error.code,
    instance: request.url.split('?')[0] ?? request.url,
    requestId: String(request.id),
  };
  if (error.fields.length > 0) {
    doc.errors = error.fields.map((f) => ({ field: f.field, message: locale === 'en' ? f.message.en : f.message.zh }));
  }
  return doc;
}

export function sendProblem(reply: FastifyReply, error: AppError): FastifyReply {
  const request = reply.request;
  const locale = localeOf(request.headers['accept-language']);
  for (const [name, value] of Object.entries(error.headers)) void reply.header(name, value);
  return reply.code(error.status).type('application/problem+json; charset=utf-8').send(problemOf(error, request, locale));
}

function fieldsOfValidation(error: FastifyError): FieldError[] {
  const context = (error as FastifyError & { validationContext?: string }).validationContext ?? 'body';
  return (error.validation ?? []).map((issue) => {
    const params = issue.params;
    const segments = issue.instancePath.split('/').filter(Boolean);
    // An unknown field is named by its own path, so the client can point at it.
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(params.keys) && params.keys.length === 1) segments.push(String(params.keys[0]));
    return {
      field: [context, ...segments].join('.'),
      message: describeIssue({ keyword: issue.keyword, message: issue.message, params }),
    };
  });
}

/** Turns any thrown error into an AppError: known client mistakes keep their status, the rest is a 500. */
export function toAppError(error: FastifyError | Error, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;
  const e = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(e) || (e.validation && e.validation.length > 0)) {
    const fields = fieldsOfValidation(e);
    return new AppError(400, 'VALIDATION_FAILED', { fields: fields.map((f) => f.field).join(', ') }, fields);
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError(413, 'BODY_TOO_LARGE');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError(400, 'BAD_JSON');
  }
  // PostgreSQL refuses a NUL character in text (22021) where SQLite stores it: a client's bad text, not a crash.
  if ((e as { code?: unknown }).code === '22021') {
    return invalid('body', { zh: '文字中含有不允许的控制字符（NUL）', en: 'the text contains a character that is not allowed (NUL)' });
  }
  if (e.statusCode === 429) {
    const seconds = Math.max(1, Math.ceil(Number((e as { ttl?: number }).ttl ?? 60_000) / 1000));
    return new AppError(429, 'RATE_LIMITED', { seconds }, [], { 'retry-after': String(seconds) });
  }
  if (e instanceof SyntaxError || (e.statusCode === 400 && /JSON/i.test(e.message))) return new AppError(400, 'BAD_JSON');
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return new AppError(e.statusCode, 'VALIDATION_FAILED', { fields: e.message }, []);
  }
  return new AppError(500, 'INTERNAL', { requestId: String(request.id) });
}

/**
 * Fastify answers some addresses before any route, hook or error handler sees them: a path that does not
 * decode (a stray %) or a path parameter longer than the router allows. They answer problem+json too.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : error.code === 'FST_ERR_BAD_URL' ? 400 : undefined;
  if (status === undefined) request.log.error({ err: error }, 'unhandled framework error');
  void sendProblem(reply, status ? new AppError(status, 'BAD_ADDRESS') : new AppError(500, 'INTERNAL', { requestId: String(request.id) }));
}

export function registerProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error, request);
    if (appError.status >= 500) request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, appError);
  });
}
