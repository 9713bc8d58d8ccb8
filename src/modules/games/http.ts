/**
 * HTTP glue of the games area: reading a code upload (multipart/form-data with a `file` part — one code per line —
 * and an optional `region_id` field; spec admin-upload-codes-*) and sending code lists as `text/plain`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, invalid } from '../../errors/app-error.js';
import { MAX_UPLOAD_BYTES } from './service.js';

/** An upload as the service takes it: the file's text and the region its codes are for (null: any region). */
export interface CodesUpload {
  content: string;
  regionId: number | null;
}

const TOO_LARGE = new Set([
  'FST_REQ_FILE_TOO_LARGE',
  'FST_FILES_LIMIT',
  'FST_PARTS_LIMIT',
  'FST_FIELDS_LIMIT',
]);

/**
 * Reads the multipart body of an upload. The file may be up to MAX_UPLOAD_BYTES; other file parts are ignored.
 * @throws 415 (not multipart), 413 (file too large), 400 (malformed multipart), 422/1102 (no `file`, bad
 *         `region_id`)
 */
export async function readCodesUpload(request: FastifyRequest): Promise<CodesUpload> {
  if (!request.isMultipart())
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Unsupported Media Type. Send multipart/form-data with a `file` part',
    );
  let content: string | null = null;
  let region: string | undefined;
  try {
    const parts = request.parts({ limits: { fileSize: MAX_UPLOAD_BYTES, files: 2, fields: 16, parts: 20 } });
    for await (const part of parts) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (part.fieldname === 'file' && content === null) content = bytes.toString('utf8');
      } else if (part.fieldname === 'file' && content === null) content = String(part.value);
      else if (part.fieldname === 'region_id') region = String(part.value).trim();
    }
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (TOO_LARGE.has(code)) throw new AppError('PAYLOAD_TOO_LARGE');
    throw new AppError('BAD_REQUEST', 'Bad Request. The multipart body could not be read');
  }
  if (content === null) throw invalid('file', 'The property `file` is required');
  if (region === undefined || region === '') return { content, regionId: null };
  if (!/^\d{1,9}$/.test(region) || Number(region) < 1) throw invalid('region_id', 'Must be of type integer');
  return { content, regionId: Number(region) };
}

/** Sends codes as `text/plain`, one per line (the spec's 200 of admin-get-codes-* and admin-delete-codes-*). */
export function sendCodes(reply: FastifyReply, codes: string[]) {
  return reply.code(200).type('text/plain; charset=utf-8').send(codes.join('\n'));
}
