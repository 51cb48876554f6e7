import type { FieldIssue } from '../../shared/errors.ts';

type Issue = { path: readonly PropertyKey[]; message: string };

/** zod issues as `{path: "boardIds.2", message}`, the shape every validation error carries. */
export function fieldIssues(issues: readonly Issue[]): FieldIssue[] {
  return issues.map((i) => ({
    path: i.path.map((p) => String(p)).join('.') || '(body)',
    message: i.message,
  }));
}

/** One readable line from the issues, for the error message itself. */
export function describeIssues(issues: readonly Issue[]): string {
  return fieldIssues(issues)
    .slice(0, 5)
    .map((f) => `${f.path}: ${f.message}`)
    .join('; ');
}
