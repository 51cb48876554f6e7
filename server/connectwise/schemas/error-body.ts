import { z } from 'zod';

/** ConnectWise's error body: `{code, message, errors?: [{code, message, resource, field}]}` (connectwise.md §4.4). */
export const ConnectWiseErrorBody = z.looseObject({
  code: z.string().optional(),
  message: z.string(),
  errors: z
    .array(
      z.looseObject({
        code: z.string().nullish(),
        message: z.string().nullish(),
        resource: z.string().nullish(),
        field: z.string().nullish(),
      }),
    )
    .nullish(),
});
export type ConnectWiseErrorBody = z.infer<typeof ConnectWiseErrorBody>;
