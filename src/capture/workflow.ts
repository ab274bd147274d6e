/** The workflow `init` writes: the Action on a schedule, on pushes of the branch, by hand, and on pull requests. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const WORKFLOW_FILE = '.github/workflows/agent-tracking.yml';
/** The Action's reference in the workflow init writes. */
export const ACTION_REF = 'subagent-tracking/subagent-tracking@v1';

/**
 * Least privilege: no permission at the top; the review job may write contents (it commits reviews
 * to the agent-tracking branch), the pull-request job reads contents and writes its one comment.
 * Reviews commit back under one concurrency group, so two runs never race on the branch.
 */
export const WORKFLOW_TEMPLATE = `# Written by \`agent-track init\` (subagent-tracking). Reviews ended phases, writes job summaries
# and keeps one comment on each pull request with what the agents did on its branch.
name: agent-tracking
on:
  schedule:
    - cron: "23 4 * * *"
  push:
    branches: [agent-tracking]
  workflow_dispatch:
  pull_request:
permissions: {}
jobs:
  review:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: write # commit reviews to the agent-tracking branch
    concurrency:
      group: agent-tracking-review
      cancel-in-progress: false
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-node@v5 # npm installs DuckDB's native library at run time
        with:
          node-version: 24
      - uses: ${ACTION_REF}
        with:
          github-token: \${{ secrets.GITHUB_TOKEN }}
          phase-policy: manual # or weekly / monthly: end the open phase when its week or month is over
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
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, WORKFLOW_TEMPLATE);
  return true;
}
