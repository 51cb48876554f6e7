import { z } from 'zod';

/** `{id, identifier?, name?, _info?}`: how ConnectWise points at another record (connectwise.md §5.2). */
export const ConnectWiseReference = z.looseObject({
  id: z.number(),
  identifier: z.string().nullish(),
  name: z.string().nullish(),
  _info: z.record(z.string(), z.unknown()).nullish(),
});
export type ConnectWiseReference = z.output<typeof ConnectWiseReference>;
