import compress, { type FastifyCompressOptions } from "@fastify/compress";

/** Answers at least this big are compressed for a client that accepts it; smaller ones cost more than they save. */
export const COMPRESS_THRESHOLD = 1024;

/**
 * Response compression: brotli (quality 4, the plugin's default), gzip or deflate, as the client's Accept-Encoding
 * allows, for the API's JSON (the fleet matrix of 50,000 cells is ~185 KiB as text, ~3 KiB as brotli) and the other
 * types mime-db calls compressible (the dashboard's scripts and styles, the metrics text). The event stream is
 * written to the socket directly (hijacked), so each event goes out as it happens, never held in a compressor.
 * Request bodies are never decompressed: a compressed body would slip past the body limit.
 */
export const compressionOptions: FastifyCompressOptions = {
  global: true,
  globalDecompression: false,
  threshold: COMPRESS_THRESHOLD,
  encodings: ["br", "gzip", "deflate"],
};

export { compress };
