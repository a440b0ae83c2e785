import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../core/deps.js';

export const stationsRoutes: FastifyPluginAsyncZod<AppDeps> = async () => {};
