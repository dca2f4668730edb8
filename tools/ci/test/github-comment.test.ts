import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { upsertStickyComment } from '../src/github-comment.js';
import { COMMENT_MARKER } from '../src/pr-comment.js';
import { IMAGES_COMMENT_MARKER } from '../src/images-report.js';

// A stand-in for GitHub's issue-comments API on 127.0.0.1, holding one pull request's comments.
let comments: { id: number; body: string }[] = [];
const calls: string[] = [];
const server = createServer((req, res) => {
  let text = '';
  req.on('data', (c: Buffer) => (text += c.toString()));
  req.on('end', () => {
    calls.push(`${req.method} ${req.url}`);
    if (req.headers.authorization !== 'Bearer t0ken') return void res.writeHead(401).end('bad credentials');
    const url = new URL(req.url!, 'http://x');
    if (req.method === 'GET') {
      const page = Number(url.searchParams.get('page'));
      return void res.writeHead(200).end(JSON.stringify(comments.slice((page - 1) * 100, page * 100)));
    }
    const body = (JSON.parse(text) as { body: string }).body;
    if (req.method === 'POST') {
      comments.push({ id: 1000 + comments.length, body });
      return void res.writeHead(201).end(JSON.stringify(comments.at(-1)));
    }
    const id = Number(url.pathname.split('/').at(-1));
    comments.find((c) => c.id === id)!.body = body;
    res.writeHead(200).end('{}');
  });
});
let api = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  comments = [];
  calls.length = 0;
});

describe('the sticky comment', () => {
  const target = () => ({ api, repository: 'owner/homelab', pullRequest: 7, token: 't0ken' });

  it('is created on the first push and edited on the next, never duplicated', async () => {
    comments = [{ id: 1, body: 'a human says hello' }];
    expect(await upsertStickyComment(target(), `${COMMENT_MARKER}\nfirst`)).toEqual({ action: 'created', id: 1001 });
    expect(await upsertStickyComment(target(), `${COMMENT_MARKER}\nsecond`)).toEqual({ action: 'updated', id: 1001 });
    expect(comments.map((c) => c.body)).toEqual(['a human says hello', `${COMMENT_MARKER}\nsecond`]);
    expect(calls).toContain('PATCH /repos/owner/homelab/issues/comments/1001');
  });

  it('finds its comment past the first page', async () => {
    comments = Array.from({ length: 150 }, (_, i) => ({ id: i, body: i === 120 ? `${COMMENT_MARKER}\nold` : 'chatter' }));
    expect(await upsertStickyComment(target(), `${COMMENT_MARKER}\nnew`)).toEqual({ action: 'updated', id: 120 });
  });

  it('the images comment has a marker of its own: it sits beside the blast radius\'s, each updated alone', async () => {
    comments = [{ id: 1, body: `${COMMENT_MARKER}\nblast radius` }];
    expect(await upsertStickyComment(target(), `${IMAGES_COMMENT_MARKER}\nimages`, IMAGES_COMMENT_MARKER)).toEqual({ action: 'created', id: 1001 });
    expect(await upsertStickyComment(target(), `${IMAGES_COMMENT_MARKER}\nimages again`, IMAGES_COMMENT_MARKER)).toEqual({ action: 'updated', id: 1001 });
    expect(comments.map((c) => c.body)).toEqual([`${COMMENT_MARKER}\nblast radius`, `${IMAGES_COMMENT_MARKER}\nimages again`]);
  });

  it('fails with what GitHub said', async () => {
    await expect(upsertStickyComment({ ...target(), token: 'nope' }, 'x')).rejects.toThrow(/401 bad credentials/);
  });
});
