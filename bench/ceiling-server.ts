// The HTTP ceilings, each run as its own process on the same Node as the real server:
//   hello — a bare Fastify hello-world: what HTTP alone costs on this machine;
//   write — a minimal Fastify endpoint that validates a small JSON body with zod (as the app's routes
//           do) and inserts one row through Kysely into a database opened by the app's own
//           openDatabase (same pragmas, same synchronous knob): what one durable write over HTTP costs.
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { openDatabase } from '../server/db/database.js';

const mode = process.argv[2];
const port = Number(process.env.PORT ?? 3000);
const app = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
app.setValidatorCompiler(validatorCompiler);
app.setSerializerCompiler(serializerCompiler);

if (mode === 'hello') {
  app.get('/', () => ({ hello: 'world' }));
} else if (mode === 'write') {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required for the write ceiling');
  const handle = openDatabase(url);
  // Not part of the app's schema: a table of its own in a database of its own.
  await sql`create table if not exists bench_rows (id ${sql.raw(handle.engine === 'postgres' ? 'bigserial' : 'integer')} primary key, category text not null, description text not null, created_at text not null)`.execute(handle.db);
  const body = z.strictObject({ category: z.string().min(1).max(40), description: z.string().trim().min(5).max(4000) });
  app.get('/', () => ({ ready: true }));
  app.post('/rows', { schema: { body, response: { 201: z.object({ id: z.number() }) } } }, async (request, reply) => {
    const row = await sql<{ id: number }>`insert into bench_rows (category, description, created_at) values (${request.body.category}, ${request.body.description}, ${new Date().toISOString()}) returning id`.execute(handle.db);
    return reply.code(201).send({ id: Number(row.rows[0]!.id) });
  });
} else {
  throw new Error(`usage: ceiling-server.ts hello|write (got ${mode})`);
}

await app.listen({ port, host: '127.0.0.1' });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
