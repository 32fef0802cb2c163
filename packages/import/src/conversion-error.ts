/**
 * A template expression that has no faithful Flotilla form. `offset` is where the expression starts inside the
 * template string, so the caller can name its line and column in the file.
 */
export class ConversionError extends Error {
  override readonly name = "ConversionError";
  readonly offset: number;
  readonly expression: string;

  constructor(init: { offset: number; expression: string; reason: string }) {
    super(`${init.expression}: ${init.reason}`);
    this.offset = init.offset;
    this.expression = init.expression;
  }
}

/** A problem with one parameter name, raised deep inside and located by the template converter. */
export class ParamNameError extends Error {
  override readonly name = "ParamNameError";
}
