import { PrometheusTextError, parsePrometheusText, type Scrape } from "@flotilla/metrics";

/** A /metrics answer read with the project's parser; one that is not the format gives no samples to report. */
export function readScrape(text: string): Scrape {
  try {
    return parsePrometheusText(text);
  } catch (error) {
    if (error instanceof PrometheusTextError) return { families: new Map(), samples: [] };
    throw error;
  }
}
