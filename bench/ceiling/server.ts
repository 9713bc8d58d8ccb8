/**
 * Baseline C, the ceiling (issue 7 item 3): a minimal Fastify server answering every recorded URL with the
 * response bytes Itemshop gave for it, already serialized (a Map lookup and a write). `If-None-Match` equal to the
 * recorded ETag answers 304. Nothing else: no auth, no validation, no database. Requests for an unrecorded URL
 * get 404 (counted as errors by the runner).
 *
 *   PORT=8083 RECORDING=bench/results/recording.json node --import tsx bench/ceiling/server.ts
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

/** One recorded response (written by bench/run.ts from Itemshop's answers). */
export interface Recorded {
  url: string;
  status: number;
  etag: string | null;
  body: string;
}

const recorded = new Map<string, { status: number; etag: string | null; body: Buffer }>();
for (const r of JSON.parse(readFileSync(process.env.RECORDING!, 'utf8')) as Recorded[])
  recorded.set(r.url, { status: r.status, etag: r.etag, body: Buffer.from(r.body) });

const app = Fastify({ logger: false });
app.get('/health/live', async () => ({ status: 'ok' }));
app.get('/*', (req, reply) => {
  const hit = recorded.get(req.url);
  if (!hit) return reply.code(404).send();
  reply.header('content-type', 'application/json; charset=utf-8');
  if (hit.etag) {
    reply.header('etag', hit.etag);
    if (req.headers['if-none-match'] === hit.etag) return reply.code(304).send();
  }
  return reply.code(hit.status).send(hit.body);
});

await app.listen({ port: Number(process.env.PORT ?? 8083), host: process.env.HOST ?? '127.0.0.1' });
const stop = () => void app.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
