/**
 * The workflow `init` writes: the Action on a schedule, when `agent-track push` says the branch moved
 * (a `repository_dispatch`), by hand, and on pull requests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import pkg from '../../package.json' with { type: 'json' };
import { DISPATCH_EVENT, githubSlug } from '../store/github.js';
import { writeFileOwned } from '../store/owner.js';

export { DISPATCH_EVENT };

export const WORKFLOW_FILE = '.github/workflows/agent-tracking.yml';

/**
 * The Action's repository, from ONE place: package.json's `repository`. A fork publishes its own
 * Action by changing that field (or by editing the `uses:` lines of the workflow init wrote).
 */
export const ACTION_REPO: string = (() => {
  const repo = (pkg as { repository?: string | { url?: string } }).repository;
  const url = typeof repo === 'string' ? repo : (repo?.url ?? '');
  const slug = githubSlug(url.replace(/^github:/, 'https://github.com/'));
  if (!slug) throw new Error(`package.json's repository is not a GitHub repository: '${url}'`);
  return slug;
})();
/** The major version's moving tag: the release workflow tags v1.x.y and moves `v1` onto it. */
export const ACTION_MAJOR = `v${(pkg as { version: string }).version.split('.')[0]}`;
/** The Action's reference in the workflow init writes. */
export const ACTION_REF = `${ACTION_REPO}@${ACTION_MAJOR}`;

/**
 * Least privilege: no permission at the top; the review job may write contents (it commits reviews
 * to the agent-tracking branch) and pull requests (it refreshes their comments when the branch
 * moved), the pull-request job reads contents and writes its one comment. Reviews commit back under
 * one concurrency group, so two runs never race on the branch.
 *
 * No `push: branches: [agent-tracking]`: GitHub reads a workflow from the pushed commit, and the
 * orphan branch has no `.github/`, so such a trigger never fires.
 */
export const WORKFLOW_TEMPLATE = `# Written by \`agent-track init\` (subagent-tracking). Reviews ended phases, writes job summaries
# and keeps one comment on each pull request with what the agents did on its branch.
# The Action is github.com/${ACTION_REPO} (the repository field of subagent-tracking's
# package.json); to run a fork of it, point both \`uses: ${ACTION_REPO}@...\` lines at owner/fork@ref.
name: agent-tracking
on:
  schedule:
    - cron: "23 4 * * *"
  # sent by \`agent-track push\` when it has a GitHub token (GH_TOKEN, GITHUB_TOKEN or \`gh auth login\`):
  # a phase ended with \`phase end --no-review\` is reviewed at once, the pull requests' comments follow
  repository_dispatch:
    types: [${DISPATCH_EVENT}]
  workflow_dispatch:
  pull_request:
permissions: {}
jobs:
  review:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: write # commit reviews to the agent-tracking branch
      pull-requests: write # refresh the open pull requests' comments when the branch moved
    concurrency:
      group: agent-tracking-review
      cancel-in-progress: false
    steps:
      - uses: actions/checkout@v5 # keep its credentials (no persist-credentials: false): reviews are pushed with them
      - uses: actions/setup-node@v5 # npm installs DuckDB's native library when there is a phase to review
        with:
          node-version: 24
      # DuckDB (about 70 MB), installed only when a phase is reviewed, kept between runs
      - uses: actions/cache/restore@v4
        with:
          path: \${{ runner.tool_cache }}/agent-track-duckdb
          key: agent-track-duckdb-\${{ runner.os }}-\${{ runner.arch }}
          restore-keys: agent-track-duckdb-\${{ runner.os }}-\${{ runner.arch }}-
      - id: agent-tracking
        uses: ${ACTION_REF}
        with:
          github-token: \${{ secrets.GITHUB_TOKEN }}
          phase-policy: manual # or weekly / monthly: end the open phase when its week or month is over
      - if: steps.agent-tracking.outputs.duckdb-cache-key != ''
        uses: actions/cache/save@v4
        with:
          path: \${{ runner.tool_cache }}/agent-track-duckdb
          key: \${{ steps.agent-tracking.outputs.duckdb-cache-key }}
  pull-request:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write # the one sticky comment
    concurrency:
      group: agent-tracking-pr-\${{ github.event.pull_request.number }}
      cancel-in-progress: true
    steps:
      - uses: actions/checkout@v5
        with:
          fetch-depth: 0 # the pull request's commits: the share of its lines agents wrote
      - uses: actions/setup-node@v5
        with:
          node-version: 24
      - uses: ${ACTION_REF}
        with:
          github-token: \${{ secrets.GITHUB_TOKEN }}
          comment: "on"
`;

/** Writes the workflow unless the repository has one of that name (a user's edits are kept). */
export function writeWorkflow(workTree: string): boolean {
  const file = path.join(workTree, WORKFLOW_FILE);
  if (fs.existsSync(file)) return false;
  // as root in another user's repository: the owner's file, like everything init writes
  writeFileOwned(file, WORKFLOW_TEMPLATE);
  return true;
}
