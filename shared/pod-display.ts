import * as z from 'zod/mini';

/**
 * Issue 12: a tenant's display settings for the pod, set in the admin console and handed to
 * the pod in its page config. Both optional with defaults, so existing tenants keep working.
 *
 * - `colorScheme`: "light" matches ConnectWise's light screen (the default); "system" follows
 *   the technician's system colour scheme.
 * - `linkTemplates`: links shown on each configuration (an RMM or remote-access console),
 *   e.g. `https://rmm.example.com/device/{deviceIdentifier}`. None by default.
 */

/** Configuration fields a template may use; each value is URL-encoded into the link. */
export const linkPlaceholders = ['id', 'name', 'deviceIdentifier', 'serialNumber', 'tagNumber', 'modelNumber', 'ipAddress'] as const;
export type LinkPlaceholder = (typeof linkPlaceholders)[number];

export const MAX_LINK_TEMPLATES = 5;

export const LinkTemplate = z.object({
  label: z.string().check(z.minLength(1), z.maxLength(40)),
  url: z.string().check(z.minLength(1), z.maxLength(500)),
});
export type LinkTemplate = z.infer<typeof LinkTemplate>;

export const ColorScheme = z.enum(['light', 'system']);
export type ColorScheme = z.infer<typeof ColorScheme>;

export const PodDisplay = z.object({
  colorScheme: ColorScheme,
  linkTemplates: z.array(LinkTemplate).check(z.maxLength(MAX_LINK_TEMPLATES)),
});
export type PodDisplay = z.infer<typeof PodDisplay>;

export const defaultPodDisplay: PodDisplay = { colorScheme: 'light', linkTemplates: [] };

const placeholder = /\{([A-Za-z]+)\}/g;

/**
 * Why a template cannot be used, or null when it can: https only, placeholders only after
 * the host (a value can never choose where the link goes), and only known placeholders.
 */
export function linkTemplateProblem(url: string): string | null {
  const probe = url.replace(placeholder, 'x');
  let parsed: URL;
  try {
    parsed = new URL(probe);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'https:') return 'links must start with https://';
  const afterScheme = url.slice('https://'.length);
  const hostPart = afterScheme.split(/[/?#]/, 1)[0] ?? '';
  if (hostPart.includes('{') || hostPart.includes('}')) return 'placeholders may not be in the host name';
  for (const m of url.matchAll(placeholder)) {
    if (!(linkPlaceholders as readonly string[]).includes(m[1]!)) return `unknown placeholder {${m[1]}}`;
  }
  return null;
}

/**
 * The link for one configuration, or null when a placeholder has no value or the result is
 * not an https URL on the template's host. Every value is URL-encoded.
 */
export function expandLinkTemplate(url: string, values: Partial<Record<LinkPlaceholder, string | number | undefined>>): string | null {
  if (linkTemplateProblem(url) !== null) return null;
  let missing = false;
  const expanded = url.replace(placeholder, (_, name: string) => {
    const value = values[name as LinkPlaceholder];
    if (value === undefined || value === '') {
      missing = true;
      return '';
    }
    return encodeURIComponent(String(value));
  });
  if (missing) return null;
  try {
    const out = new URL(expanded);
    const template = new URL(url.replace(placeholder, 'x'));
    return out.protocol === 'https:' && out.host === template.host ? out.href : null;
  } catch {
    return null;
  }
}
