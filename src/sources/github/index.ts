// What the other issue trackers (GitLab, Azure DevOps) share with GitHub's source: the branch's issue by its number,
// the label words for status and priority, the checkout's origin, the options and context a source is opened with.
export { issueOfBranch } from './issues.js';
export type { Context, GitHubOptions } from './source.js';
export {
  DEFAULT_LABEL_WORDS,
  labelKey,
  labelOfPriority,
  openStatus,
  priorityOfLabels,
  type LabelWords,
} from './words.js';
export { readOriginUrl, remoteParts } from './remote.js';
