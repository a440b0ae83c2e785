import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../core/deps.js';

export const volunteersRoutes: FastifyPluginAsyncZod<AppDeps> = async () => {};
