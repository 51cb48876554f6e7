import { z } from 'zod';

const present = (text: string | null | undefined) => (text != null && text.trim() !== '' ? text : undefined);

/**
 * ConnectWise's error body: `{code, message, errors?: [{code, message, resource, field}]}`
 * (docs/connectwise.md §4.4). The 2025.8 OpenAPI makes both `code` and `message` optional (§8), so
 * either may be missing or null: the message falls back to the code, and a body with neither
 * is not an error body (the caller then falls back to the HTTP status).
 */
export const ConnectWiseErrorBody = z
  .looseObject({
    code: z.string().nullish(),
    message: z.string().nullish(),
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
  })
  .transform((body, ctx) => {
    const code = present(body.code);
    const message = present(body.message) ?? code;
    if (message === undefined) {
      ctx.addIssue({ code: 'custom', message: 'an error body names a code or a message' });
      return z.NEVER;
    }
    return { ...body, code, message };
  });
export type ConnectWiseErrorBody = z.output<typeof ConnectWiseErrorBody>;
