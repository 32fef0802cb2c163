import compress, { type FastifyCompressOptions } from "@fastify/compress";

/** JSON answers at least this big are compressed for a client that accepts it; smaller ones cost more than they save. */
export const COMPRESS_THRESHOLD = 1024;

/**
 * Response compression for the API's JSON (the fleet matrix of 50,000 cells is ~185 KiB as text, a few KiB
 * compressed): brotli (quality 4, the plugin's default), gzip or deflate, as the client's Accept-Encoding allows.
 * JSON only, so the event stream (text/event-stream, which must flush each event) and the dashboard's files pass
 * untouched. Request bodies are never decompressed: a compressed body would slip past the body limit.
 */
export const compressionOptions: FastifyCompressOptions = {
  global: true,
  globalDecompression: false,
  threshold: COMPRESS_THRESHOLD,
  encodings: ["br", "gzip", "deflate"],
  customTypes: /^application\/json(;|$)/,
};

export { compress };
