import fastifyFormbody from '@fastify/formbody';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { loadActor } from '../../core/actor.js';
import type { AppDeps } from '../../core/deps.js';
import { type Bilingual, localeOf, translate } from '../../core/i18n.js';
import { IDEMPOTENCY_HEADER, validIdempotencyKey } from '../../core/idempotency.js';
import { toAppError } from '../../core/problem.js';
import { describeIssue } from '../../core/validation-messages.js';
import { fileAppeal } from '../appeals/appeals.operations.js';
import { appealCategories, appealStatuses, createAppealBodySchema } from '../appeals/appeals.schema.js';
import { isDivisionCode } from '../divisions/divisions.rules.js';
import { requestDocument, serviceDefinitionDocument, serviceDocument } from './open311.documents.js';
import { findPublicAppeal, listPlatformChoices, listPublicAppeals, type PublicAppealFilter } from './open311.queries.js';
import { appealStatusesOf, contactNameOf, MAX_REQUESTS, searchWindow, serviceNoticeOf } from './open311.rules.js';
import {
  createRequestBodySchema,
  formatParamsSchema,
  formatSchema,
  listRequestsQuerySchema,
  type Open311Created,
  type Open311Error,
  type Open311Format,
  requestParamsSchema,
  serviceCodeSchema,
  serviceParamsSchema,
} from './open311.schema.js';
import { xmlList, xmlRecord } from './open311.xml.js';

// Open311 GeoReport v2 at /open311/v2: public reads of non-anonymous appeals and filing with an API key.
// Outside /api, so the actor hook asks for no session; errors leave in the Open311 error format
// ([{code, description}] or <errors>), not as problem+json, because that is what Open311 clients parse.

/** A client error in Open311 terms: the status and a description in both languages. */
class Open311Failure extends Error {
  constructor(
    readonly status: number,
    readonly description: Bilingual,
  ) {
    super(description.en);
  }
}

const notFoundFailure = () => new Open311Failure(404, { zh: '没有找到', en: 'Not found' });

const DATE_FIELDS = new Set(['start_date', 'end_date']);

// Field names of the appeals module, said the way an Open311 client sent them.
const OPEN311_NAMES: Record<string, string> = {
  category: 'service_code',
  lng: 'long',
  address: 'address_string',
  cityCode: 'attribute[city]',
  platformId: 'attribute[platform]',
  contactName: 'first_name/last_name',
  contactPhone: 'phone',
};
const open311Name = (field: string) => {
  const bare = field.replace(/^(body|querystring|params)\./, '');
  return OPEN311_NAMES[bare] ?? bare;
};

function joinMessages(parts: { field: string; message: Bilingual }[]): Bilingual {
  return {
    zh: parts.map((p) => `${p.field}：${p.message.zh}`).join('；'),
    en: parts.map((p) => `${p.field} ${p.message.en}`).join('; '),
  };
}

function parseOr400<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const parts = result.error.issues.map((issue) => {
    const field = open311Name(issue.path.map(String).join('.')) || 'request';
    const message = DATE_FIELDS.has(field)
      ? { zh: '应为 ISO 8601 日期时间，如 2026-11-01T00:00:00+08:00', en: 'must be an ISO 8601 date-time such as 2026-11-01T00:00:00+08:00' }
      : describeIssue({ keyword: issue.code, message: issue.message, params: { ...issue } });
    return { field, message };
  });
  throw new Open311Failure(400, joinMessages(parts));
}

/** The format named by the address; an unknown one is a 404, as for any address that does not exist. */
function formatOf(params: unknown): Open311Format {
  const parsed = formatSchema.safeParse(formatParamsSchema.parse(params).format);
  if (!parsed.success) throw notFoundFailure();
  return parsed.data;
}

// Errors are answered in the format the address asked for, even when the address itself is wrong.
const formatOfUrl = (url: string): Open311Format => ((url.split('?')[0] ?? '').endsWith('.xml') ? 'xml' : 'json');

function send(reply: FastifyReply, format: Open311Format, json: unknown, xml: () => string): FastifyReply {
  // Names and notes follow Accept-Language, so a cache must keep the languages apart.
  void reply.header('vary', 'accept-language');
  if (format === 'xml') return reply.type('text/xml; charset=utf-8').send(xml());
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(json));
}

function sendErrors(reply: FastifyReply, status: number, description: string): FastifyReply {
  const errors: Open311Error[] = [{ code: status, description }];
  return send(reply.code(status), formatOfUrl(reply.request.url), errors, () => xmlList('errors', 'error', errors));
}

function errorDescription(error: FastifyError | Error, request: FastifyRequest): { status: number; description: Bilingual } {
  if (error instanceof Open311Failure) return { status: error.status, description: error.description };
  const appError = toAppError(error, request);
  if (appError.status >= 500) request.log.error({ err: error }, 'unhandled error');
  if (appError.code === 'UNSUPPORTED_MEDIA_TYPE') {
    return { status: 415, description: { zh: '请以 application/x-www-form-urlencoded 发送表单。', en: 'Send the form as application/x-www-form-urlencoded.' } };
  }
  if (appError.fields.length > 0) {
    return { status: appError.status, description: joinMessages(appError.fields.map((f) => ({ field: open311Name(f.field), message: f.message }))) };
  }
  const detail = (locale: 'zh-CN' | 'en') => translate(appError.code, 'detail', appError.params, locale);
  return { status: appError.status, description: { zh: detail('zh-CN'), en: detail('en') } };
}

export const open311Routes: FastifyPluginAsync<AppDeps> = async (app, deps) => {
  const { db, clock, config } = deps;
  // GeoReport v2 posts form-encoded bodies; the parser lives in this plugin only, so the JSON API
  // keeps accepting nothing but JSON.
  await app.register(fastifyFormbody);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, description } = errorDescription(error, request);
    const locale = localeOf(request.headers['accept-language']);
    return sendErrors(reply, status, locale === 'en' ? description.en : description.zh);
  });
  app.setNotFoundHandler((request, reply) => {
    const locale = localeOf(request.headers['accept-language']);
    return sendErrors(reply, 404, locale === 'en' ? `There is no such address: ${request.method} ${request.url.split('?')[0]}` : `没有这个地址：${request.method} ${request.url.split('?')[0]}`);
  });

  // Open311 has its own published description (GeoReport v2); Convoy's OpenAPI document covers /api.
  const options = { schema: { hide: true } };

  app.get('/services.:format', options, async (request, reply) => {
    const format = formatOf(request.params);
    const locale = localeOf(request.headers['accept-language']);
    const services = appealCategories.map((code) => serviceDocument(code, locale));
    return send(reply, format, services, () => xmlList('services', 'service', services));
  });

  app.get('/services/:service_code.:format', options, async (request, reply) => {
    const format = formatOf(request.params);
    const code = serviceCodeSchema.safeParse(serviceParamsSchema.parse(request.params).service_code);
    if (!code.success) throw notFoundFailure();
    const definition = serviceDefinitionDocument(code.data, await listPlatformChoices(db), localeOf(request.headers['accept-language']));
    return send(reply, format, definition, () => xmlRecord('service_definition', definition, { attributes: 'attribute', values: 'value' }));
  });

  app.get('/requests.:format', options, async (request, reply) => {
    const format = formatOf(request.params);
    const query = parseOr400(listRequestsQuerySchema, request.query);
    let filter: PublicAppealFilter;
    if (query.service_request_id) {
      filter = { ids: query.service_request_id.map(Number), limit: MAX_REQUESTS };
    } else {
      const window = searchWindow({ start: query.start_date, end: query.end_date, now: clock.now() });
      if ('error' in window) throw new Open311Failure(400, window.error);
      const wanted = [...new Set(query.status ?? [])];
      // Both statuses, or none named, is every status: no filter to apply.
      const statuses = wanted.length === 1 ? appealStatusesOf(wanted, appealStatuses) : undefined;
      filter = { category: query.service_code, statuses, from: window.from, to: window.to, limit: MAX_REQUESTS };
    }
    const locale = localeOf(request.headers['accept-language']);
    const requests = (await listPublicAppeals(db, filter)).map((row) => requestDocument(row, locale));
    return send(reply, format, requests, () => xmlList('service_requests', 'request', requests));
  });

  // The spec answers a single request as a list of one, in the same shape as the search.
  app.get('/requests/:id.:format', options, async (request, reply) => {
    const format = formatOf(request.params);
    const { id } = requestParamsSchema.parse(request.params);
    // Anonymous appeals answer exactly as an id that does not exist: not even their existence is public.
    const row = /^\d{1,12}$/.test(id) ? await findPublicAppeal(db, Number(id)) : undefined;
    if (!row) throw notFoundFailure();
    const requests = [requestDocument(row, localeOf(request.headers['accept-language']))];
    return send(reply, format, requests, () => xmlList('service_requests', 'request', requests));
  });

  app.post('/requests.:format', options, async (request, reply) => {
    const format = formatOf(request.params);
    const locale = localeOf(request.headers['accept-language']);
    // The spec lists the parameters as query or form fields; the form wins when both carry one.
    const fields: Record<string, unknown> = { ...(request.query as Record<string, unknown>), ...(request.body as Record<string, unknown> | undefined) };
    // api_key is a Convoy API token (POST /api/v1/auth/tokens). A browser session's cookie value is not
    // one: it must not become usable from another origin by being pasted into a form.
    const apiKey = typeof fields.api_key === 'string' ? fields.api_key.trim() : '';
    const actor = apiKey ? await loadActor(db, apiKey, clock.now(), config.sessionIdleMs) : null;
    if (!actor || actor.sessionKind !== 'bearer') throw new Open311Failure(403, { zh: 'api_key 缺失或无效', en: 'The api_key is missing or not valid' });

    const body = parseOr400(createRequestBodySchema, fields);
    if (body.lat === undefined && body.address_string === undefined) {
      throw new Open311Failure(400, { zh: '请提供位置：lat 与 long，或 address_string', en: 'Give a location: lat and long, or address_string' });
    }
    if (!isDivisionCode(body['attribute[city]'])) {
      throw new Open311Failure(400, { zh: 'attribute[city]：不是有效的 GB/T 2260 行政区划代码', en: 'attribute[city] is not a GB/T 2260 division code' });
    }
    const input = parseOr400(createAppealBodySchema, {
      category: body.service_code,
      description: body.description,
      // Filing through an integration is never anonymous: the spec has no way to hand back a secret.
      anonymous: false,
      lat: body.lat,
      lng: body.long,
      address: body.address_string,
      cityCode: body['attribute[city]'],
      contactPreference: body.phone ? 'phone' : 'none',
      contactName: contactNameOf(body.first_name, body.last_name),
      contactPhone: body.phone,
    });
    const created = await fileAppeal(
      deps,
      actor,
      { ...input, channel: 'open311', platformCode: body['attribute[platform]'] },
      { ip: request.ip, idempotencyKey: validIdempotencyKey(request.headers[IDEMPOTENCY_HEADER]) },
    );
    const answer: Open311Created[] = [
      { service_request_id: String(created.id), service_notice: serviceNoticeOf(created.unitName, created.expectedBy, locale), account_id: null },
    ];
    return send(reply, format, answer, () => xmlList('service_requests', 'request', answer));
  });
};
