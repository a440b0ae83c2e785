import type { Bilingual, MessageCode } from './i18n.js';
import { entityNames } from './i18n.js';

export type FieldError = { field: string; message: Bilingual };

/** An error a client can act on; the error handler renders it as RFC 9457 problem+json. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: MessageCode,
    readonly params: Record<string, unknown> = {},
    readonly fields: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(`${code} ${JSON.stringify(params)}`);
    this.name = 'AppError';
  }
}

export const notFound = (entity: string) =>
  new AppError(404, 'NOT_FOUND', { entity: entityNames[entity] ?? { zh: entity, en: entity } });

export const forbidden = (action: string) => new AppError(403, 'FORBIDDEN', { action });

export const unauthenticated = () => new AppError(401, 'UNAUTHENTICATED');

export const conflict = (reason: Bilingual) => new AppError(409, 'CONFLICT', { reason });

/** One invalid field, with the reason in both languages. */
export const invalid = (field: string, message: Bilingual) =>
  new AppError(400, 'VALIDATION_FAILED', { fields: field }, [{ field, message }]);
