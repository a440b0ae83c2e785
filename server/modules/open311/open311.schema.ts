import { z } from 'zod';
import { instantSchema } from '../../core/calendar.schema.js';
import { appealCategories } from '../appeals/appeals.schema.js';

// GeoReport v2 parameters are snake_case and arrive as strings (query string or form body). Objects are
// not strict: Open311 clients routinely send jurisdiction_id, api_key on reads or vendor extensions,
// and the spec expects a server to ignore what it does not use.

export const formatSchema = z.enum(['json', 'xml']);
export type Open311Format = z.infer<typeof formatSchema>;

// A repeated parameter (?status=open&status=closed) arrives as an array; the spec's form is a comma list.
const commaList = <T extends z.ZodType<string, string>>(item: T, max: number) =>
  z.preprocess(
    (v) => (Array.isArray(v) ? v.join(',') : v),
    z
      .string()
      .transform((s) => s.split(',').map((part) => part.trim()).filter(Boolean))
      .pipe(z.array(item).min(1).max(max)),
  );

const dateTime = instantSchema;

export const serviceCodeSchema = z.enum(appealCategories);

export const listRequestsQuerySchema = z.object({
  service_request_id: commaList(z.string().regex(/^\d{1,12}$/, 'service_request_id'), 1000).optional(),
  service_code: serviceCodeSchema.optional(),
  start_date: dateTime.optional(),
  end_date: dateTime.optional(),
  status: commaList(z.enum(['open', 'closed']), 2).optional(),
});

export const requestParamsSchema = z.object({ id: z.string(), format: z.string() });
export const serviceParamsSchema = z.object({ service_code: z.string(), format: z.string() });
export const formatParamsSchema = z.object({ format: z.string() });

// An empty form field means "not given", not an empty value.
const optionalText = (max: number) => z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().max(max).optional());
const optionalNumber = z.preprocess((v) => (v === '' || v === undefined ? undefined : Number(v)), z.number().finite().optional());

/**
 * POST requests.{format}: the spec's fields, and Convoy's two required attributes (declared in every
 * service definition). `email`, `device_id`, `account_id` and `media_url` are accepted and not kept.
 */
export const createRequestBodySchema = z
  .object({
    service_code: serviceCodeSchema,
    lat: optionalNumber,
    long: optionalNumber,
    address_string: optionalText(300),
    address_id: optionalText(100),
    description: z.string().trim().min(1).max(4000),
    first_name: optionalText(30),
    last_name: optionalText(30),
    phone: optionalText(30),
    'attribute[platform]': z.string().trim().min(1).max(40),
    'attribute[city]': z.string().trim().regex(/^\d{6}$/, 'GB/T 2260'),
  })
  .refine((b) => (b.lat === undefined) === (b.long === undefined), { message: 'lat and long go together', path: ['long'] });

export type CreateRequestBody = z.infer<typeof createRequestBodySchema>;

/** One service request as GeoReport v2 publishes it (request.json). */
export type Open311Request = {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string | null;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string | null;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
};

/** One service type (service.json). */
export type Open311Service = {
  service_code: string;
  service_name: string;
  description: string | null;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string | null;
  group: string | null;
};

export type Open311AttributeValue = { key: string; name: string };

export type Open311Attribute = {
  variable: boolean;
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  datatype_description: string | null;
  order: number;
  description: string;
  values: Open311AttributeValue[];
};

/** A service definition (service-definition.json). */
export type Open311ServiceDefinition = { service_code: string; attributes: Open311Attribute[] };

/** The answer to a POST: the spec gives account_id as null when the server keeps no accounts for filers. */
export type Open311Created = { service_request_id: string; service_notice: string | null; account_id: null };

export type Open311Error = { code: number; description: string };
