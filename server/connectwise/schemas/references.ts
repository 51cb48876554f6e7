import { z } from 'zod';

/**
 * `{id, identifier?, name?, _info?}`: how ConnectWise points at another record (docs/connectwise.md
 * §5.2). The 2025.8 OpenAPI types reference ids as `NullableInt32` (§8), so a null id is
 * accepted and reads as absent: a member whose default location has no id is still a member.
 */
export const ConnectWiseReference = z.looseObject({
  id: z
    .number()
    .nullish()
    .transform((id) => id ?? undefined),
  identifier: z.string().nullish(),
  name: z.string().nullish(),
  _info: z.record(z.string(), z.unknown()).nullish(),
});
export type ConnectWiseReference = z.output<typeof ConnectWiseReference>;
