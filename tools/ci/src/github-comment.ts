import { COMMENT_MARKER } from './pr-comment.js';

/** Where and as whom to write: GITHUB_API_URL, GITHUB_REPOSITORY, the pull request, GITHUB_TOKEN. */
export interface GitHubTarget {
  readonly api: string;
  readonly repository: string;
  readonly pullRequest: number;
  readonly token: string;
}

interface IssueComment {
  readonly id: number;
  readonly body?: string;
}

async function call(target: GitHubTarget, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${target.api}${path}`, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${target.token}`,
      'x-github-api-version': '2022-11-28',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`GitHub ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/**
 * Creates the pull request's sticky comment, or edits it when a comment carrying the marker is
 * already there (every push after the first). A second kind of comment (the images report) has a
 * marker of its own. Returns what it did and the comment's id.
 */
export async function upsertStickyComment(target: GitHubTarget, body: string, marker: string = COMMENT_MARKER): Promise<{ action: 'created' | 'updated'; id: number }> {
  const base = `/repos/${target.repository}/issues`;
  for (let page = 1; ; page++) {
    const comments = (await call(target, 'GET', `${base}/${target.pullRequest}/comments?per_page=100&page=${page}`)) as IssueComment[];
    const mine = comments.find((c) => c.body?.includes(marker));
    if (mine) {
      await call(target, 'PATCH', `${base}/comments/${mine.id}`, { body });
      return { action: 'updated', id: mine.id };
    }
    if (comments.length < 100) break;
  }
  const created = (await call(target, 'POST', `${base}/${target.pullRequest}/comments`, { body })) as IssueComment;
  return { action: 'created', id: created.id };
}
