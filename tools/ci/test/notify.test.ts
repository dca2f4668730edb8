import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationRequest, sendNotification, targetFormat, type NotificationEvent } from '../src/notify.js';

const failed: NotificationEvent = {
  kind: 'deploy-failed',
  host: 'vm-media',
  detail: 'docker compose up --wait: jellyfin unhealthy; rolled back to the previous release',
  runUrl: 'https://github.com/owner/homelab/actions/runs/7',
  commit: '0123456789abcdef0123',
};

describe('the notification target', () => {
  it.each([
    ['https://ntfy.sh/homelab-alerts', undefined, 'ntfy'],
    ['https://ntfy.example.net/lab', undefined, 'ntfy'],
    ['https://hooks.example.net/T000/B000', undefined, 'webhook'],
    ['https://hooks.example.net/x', 'ntfy', 'ntfy'],
    ['https://ntfy.sh/x', 'webhook', 'webhook'],
  ])('%s (format %s) is %s', (url, format, expected) => {
    expect(targetFormat(url, format)).toBe(expected);
  });

  it('rejects an unknown format', () => {
    expect(() => targetFormat('https://x.example', 'slack')).toThrow(/ntfy or webhook/);
  });
});

describe('the notification payload', () => {
  it('ntfy: title, priority and tags in headers, the text as the body, the run as the click target', () => {
    const r = notificationRequest(failed, 'https://ntfy.sh/lab', 'ntfy');
    expect(r).toEqual({
      url: 'https://ntfy.sh/lab',
      method: 'POST',
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        title: 'homelab: deploy of vm-media failed',
        priority: 'high',
        tags: 'rotating_light,homelab',
        click: 'https://github.com/owner/homelab/actions/runs/7',
      },
      body: 'docker compose up --wait: jellyfin unhealthy; rolled back to the previous release\ncommit 0123456789ab\nhttps://github.com/owner/homelab/actions/runs/7',
    });
  });

  it('ntfy: a title outside Latin-1 is sent as an RFC 2047 encoded word', () => {
    const r = notificationRequest({ kind: 'drift', host: 'vm-médiа', detail: 'x' }, 'https://ntfy.sh/lab', 'ntfy');
    expect(r.headers.title).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    expect(Buffer.from(r.headers.title!.slice(10, -2), 'base64').toString()).toBe('homelab: vm-médiа drifted from the code');
    expect(r.headers.click).toBeUndefined();
  });

  it('webhook: one JSON document', () => {
    const r = notificationRequest({ kind: 'rolled-back', host: 'vm-apps', detail: ' by hand ' }, 'https://hooks.example.net/x', 'webhook');
    expect(r.headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(r.body)).toEqual({ source: 'homelab', event: 'rolled-back', host: 'vm-apps', title: 'homelab: vm-apps rolled back', message: 'by hand', commit: null, run: null });
  });
});

describe('sending', () => {
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  let status = 200;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(status).end(status === 200 ? '{}' : 'topic is full');
    });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lab`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('posts exactly the payload', async () => {
    await sendNotification(notificationRequest(failed, url, 'ntfy'));
    expect(received.at(-1)!.headers.title).toBe('homelab: deploy of vm-media failed');
    expect(received.at(-1)!.body).toContain('rolled back to the previous release');
  });

  it('fails when the target answers with an error', async () => {
    status = 507;
    await expect(sendNotification(notificationRequest(failed, url, 'webhook'))).rejects.toThrow(/507 topic is full/);
    status = 200;
  });
});
