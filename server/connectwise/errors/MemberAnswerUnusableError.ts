import { ConnectWiseUnusableAnswerError } from './ConnectWiseUnusableAnswerError.ts';

/** One host's answer to the member check that was not a member record: its shape, never its content. */
export type UnusableMemberAnswer = {
  /** Which route answered: the UI host with the discovered codebase, with `v4_6_release/`, or the `api-` host. */
  host: string;
  reason: 'not_json' | 'malformed_json' | 'bad_shape' | 'redirect';
  /** For `bad_shape`: the fields that did not match (paths only). */
  issuePaths: string[];
};

/**
 * Every host that answered `system/myMembers/info` answered with something that is not a
 * member record (an HTML page, JSON of another shape, a redirect), and none refused the
 * credentials. That says nothing about the member: ConnectWise, or a proxy in front of it,
 * is unusable for sign-in, so this is never reported (or cached) as forged credentials.
 *
 * It is a ConnectWiseUnusableAnswerError, so the one failure classifier
 * (./classify-failure.ts) explains it by the first host's reason (pod code
 * `connectwise_unreachable`); `code` tells it apart in logs and tests.
 */
export class MemberAnswerUnusableError extends ConnectWiseUnusableAnswerError {
  override name = 'MemberAnswerUnusableError';
  readonly code = 'member_answer_unusable';
  readonly answers: UnusableMemberAnswer[];

  constructor(answers: UnusableMemberAnswer[]) {
    const first = answers[0];
    super(first?.reason ?? 'not_json', 'system/myMembers/info', { issuePaths: first?.issuePaths ?? [] });
    this.answers = answers;
    const kinds = [...new Set(answers.map((a) => describe(a.reason)))].join(' or ');
    this.message = `ConnectWise answered the member check with ${kinds} instead of a member record, so the technician could not be verified; ConnectWise (or a proxy in front of it) is not usable for sign-in right now.`;
  }
}

function describe(reason: UnusableMemberAnswer['reason']): string {
  switch (reason) {
    case 'not_json':
      return 'a page that is not JSON';
    case 'malformed_json':
      return 'JSON that does not parse';
    case 'bad_shape':
      return 'JSON of another shape';
    case 'redirect':
      return 'a redirect';
  }
}
