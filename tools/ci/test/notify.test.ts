import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationRequest, sendNotification, targetFormat, type NotificationEvent } from '../src/notify.js';

const at = '2026-12-07T04:00:00.000Z';

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
    const r = notificationRequest(failed, 'https://ntfy.sh/lab', 'ntfy', { at });
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
    const r = notificationRequest({ kind: 'drift', host: 'vm-médiа', detail: 'x' }, 'https://ntfy.sh/lab', 'ntfy', { at });
    expect(r.headers.title).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    expect(Buffer.from(r.headers.title!.slice(10, -2), 'base64').toString()).toBe('homelab: vm-médiа drifted from the code');
    expect(r.headers.click).toBeUndefined();
  });

  it('webhook: Alertmanager\'s webhook JSON (version 4), so the receivers of the lab\'s alerts take it', () => {
    const r = notificationRequest({ kind: 'rolled-back', host: 'vm-apps', detail: ' by hand ' }, 'https://hooks.example.net/x', 'webhook', { at });
    expect(r.headers).toEqual({ 'content-type': 'application/json' });
    const body = JSON.parse(r.body);
    const labels = { alertname: 'DeployRolledBack', host: 'vm-apps', severity: 'critical', source: 'homelab-ci' };
    const annotations = { summary: 'homelab: vm-apps rolled back', description: 'by hand' };
    expect(body).toEqual({
      version: '4',
      groupKey: '{}:{alertname="DeployRolledBack", host="vm-apps"}',
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'homelab-ci',
      groupLabels: { alertname: 'DeployRolledBack', host: 'vm-apps' },
      commonLabels: labels,
      commonAnnotations: annotations,
      externalURL: '',
      alerts: [{ status: 'firing', labels, annotations, startsAt: at, endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) }],
    });
  });

  it('sends the access token as a bearer token, in either format', () => {
    expect(notificationRequest(failed, 'https://ntfy.sh/lab', 'ntfy', { at, token: 'tk_abc\n' }).headers.authorization).toBe('Bearer tk_abc');
    expect(notificationRequest(failed, 'https://hooks.example.net/x', 'webhook', { at, token: 'tk_abc' }).headers.authorization).toBe('Bearer tk_abc');
    expect(notificationRequest(failed, 'https://hooks.example.net/x', 'webhook', { at }).headers.authorization).toBeUndefined();
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
    await sendNotification(notificationRequest(failed, url, 'ntfy', { at, token: 'tk_lab' }));
    expect(received.at(-1)!.headers.title).toBe('homelab: deploy of vm-media failed');
    expect(received.at(-1)!.headers.authorization).toBe('Bearer tk_lab');
    expect(received.at(-1)!.body).toContain('rolled back to the previous release');
  });

  it('fails when the target answers with an error', async () => {
    status = 507;
    await expect(sendNotification(notificationRequest(failed, url, 'webhook', { at }))).rejects.toThrow(/507 topic is full/);
    status = 200;
  });
});
